package dev.notejam.loadtests.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws a harness experiment from the once-a-second HAProxy samples ({@code haproxy.csv}: cumulative requests and
 * errors per server): requests per second per instance, errors per second, instances in service.
 *
 * <pre>ExperimentChart &lt;haproxy.csv&gt; &lt;out.png&gt; &lt;title&gt;</pre>
 */
public final class ExperimentChart {

	private record Row(long epoch, String server, long requests, long errors, boolean up) {
	}

	private ExperimentChart() {
	}

	public static void main(String[] args) throws IOException {
		System.setProperty("java.awt.headless", "true");
		List<Row> rows = new ArrayList<>();
		for (String line : Files.readAllLines(Path.of(args[0])).stream().skip(1).toList()) {
			String[] f = line.split(",", -1);
			if (f.length < 7 || f[2].isBlank()) {
				continue;
			}
			rows.add(new Row(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]),
					num(f[3]) + num(f[4]) + num(f[5]), f[6].startsWith("UP")));
		}
		if (rows.isEmpty()) {
			throw new IllegalArgumentException("no samples in " + args[0]);
		}
		long start = rows.get(0).epoch();
		TreeSet<String> servers = new TreeSet<>();
		rows.forEach(r -> servers.add(r.server()));
		TreeMap<Long, Map<String, Row>> bySecond = new TreeMap<>();
		rows.forEach(r -> bySecond.computeIfAbsent(r.epoch(), k -> new TreeMap<>()).put(r.server(), r));
		List<Long> seconds = new ArrayList<>(bySecond.keySet());
		int n = seconds.size() - 1;
		double[] t = new double[n];
		double[] errors = new double[n];
		double[] up = new double[n];
		List<ScalingChart.Series> perServer = new ArrayList<>();
		Map<String, double[]> rates = new TreeMap<>();
		servers.forEach(s -> rates.put(s, new double[n]));
		for (int i = 0; i < n; i++) {
			Map<String, Row> now = bySecond.get(seconds.get(i + 1));
			Map<String, Row> before = bySecond.get(seconds.get(i));
			double dt = Math.max(1, seconds.get(i + 1) - seconds.get(i));
			t[i] = seconds.get(i + 1) - start;
			for (String server : servers) {
				Row a = before.get(server);
				Row b = now.get(server);
				if (a != null && b != null) {
					// a restarted HAProxy counter is never negative
					rates.get(server)[i] = Math.max(0, b.requests() - a.requests()) / dt;
					errors[i] += Math.max(0, b.errors() - a.errors()) / dt;
				}
				if (b != null && b.up()) {
					up[i]++;
				}
			}
		}
		rates.forEach((server, values) -> perServer.add(new ScalingChart.Series(server, t, values, false)));
		ScalingChart.write(Path.of(args[1]), "Notejam harness: " + args[2],
				"HAProxy runtime counters, 1 s samples; 2 shared cores run load generator, balancer, databases and all instances",
				List.of(new ScalingChart.Panel("requests/s per instance", perServer, OptionalDouble.empty(), ""),
						new ScalingChart.Panel("errors/s (5xx, connect, response)", List.of(new ScalingChart.Series("errors/s", t, errors, false)),
								OptionalDouble.empty(), ""),
						new ScalingChart.Panel("instances UP", List.of(new ScalingChart.Series("UP", t, up, true)),
								OptionalDouble.empty(), "")));
		System.out.println("wrote " + args[1]);
	}

	private static long num(String value) {
		return value == null || value.isBlank() ? 0 : Long.parseLong(value);
	}
}
