package dev.notejam.loadtests.capacity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.notejam.loadtests.hpa.ControllerSettings;
import dev.notejam.loadtests.hpa.HpaController;
import dev.notejam.loadtests.hpa.HpaSpec;
import dev.notejam.loadtests.traffic.LoadProfile;
import dev.notejam.loadtests.traffic.TrafficShape;

/**
 * Which CPU target lets the prod HPA absorb the 4x burst? Runs the capacity model for each target in
 * {@link #TARGETS}, with the prod chart's other settings, for both scenarios and for two start-up costs: the
 * measured default start and the measured fast-start mode (notejam-app/BENCHMARKS.md, passed in because it is
 * measured there). Typical traffic is held fixed at what the prod values are sized for (the prod minimum replicas at
 * the prod CPU target, the capacity model's definition); for each target the minimum replicas become what that
 * traffic needs at the target, so a lower target buys headroom with more pods at baseline. Writes
 * {@code docs/scaling/hpa-sweep.md}.
 *
 * <pre>./mvnw -pl load-tests compile exec:java@hpa-sweep -Dfast.start.cpu.seconds=14.3</pre>
 */
public final class HpaSweep {

	static final int[] TARGETS = {30, 35, 40, 50, 60, 70};

	/** One pod per availability zone (R3): never fewer, whatever the traffic. */
	static final int HA_FLOOR = 3;

	private HpaSweep() {
	}

	/** One cell of the table. */
	record Row(int target, int minReplicas, String start, String scenario, SloVerdict verdict, double baselineRps) {
	}

	public static void main(String[] args) throws Exception {
		Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
		double fastStartCpuSeconds = Double.parseDouble(args.length > 1 ? args[1] : "0");
		DeploymentSpec prod = ChartRenderer.render(root.resolve("helm-charts/charts/notejam"),
				root.resolve("environments/prod/notejam.values.yaml"));
		Measurements measured = Measurements.read(root.resolve("docs/scaling/measurements.json"));
		List<Row> rows = sweep(prod, measured, fastStartCpuSeconds);
		Path out = root.resolve("docs/scaling/hpa-sweep.md");
		Files.writeString(out, markdown(prod, measured, fastStartCpuSeconds, rows));
		System.out.println("[hpa-sweep] wrote " + root.relativize(out));
	}

	static List<Row> sweep(DeploymentSpec prod, Measurements measured, double fastStartCpuSeconds) {
		TrafficShape shape = LoadProfile.BURST4X.shape().withTail(600);
		int[] burst = shape.window("burst");
		List<Row> rows = new ArrayList<>();
		double baselineRps = CapacityModelApp.typicalRps(prod, measured);
		for (int target : TARGETS) {
			int minReplicas = Math.max(HA_FLOOR, replicasAtTarget(prod, measured, baselineRps, target));
			// the chart's contract: room for 4x the typical replicas
			HpaSpec hpa = new HpaSpec(minReplicas, Math.max(prod.hpa().maxReplicas(), 4 * minReplicas), target,
					prod.hpa().scaleUp(), prod.hpa().scaleDown());
			DeploymentSpec deployment = new DeploymentSpec(prod.cpuRequestCores(), prod.cpuLimitCores(),
					minReplicas, hpa, prod.probeDelaySeconds(), prod.source());
			List<Measurements> starts = new ArrayList<>(List.of(measured));
			if (fastStartCpuSeconds > 0) {
				starts.add(new Measurements(measured.source(), measured.machine(), measured.cpuSecondsPerRequest(),
						measured.idleCpuCores(), measured.requestsPerJourney(), measured.baselineP95Ms(),
						measured.baselineUtilization(), measured.startToReadySeconds(), fastStartCpuSeconds,
						measured.capacityRuns()));
			}
			for (Measurements m : starts) {
				String start = String.format(Locale.ROOT, "%.1f CPU-s", m.startCpuSeconds());
				for (String scenario : List.of("warm-nodes", "new-nodes")) {
					ModelAssumptions assumptions = scenario.equals("warm-nodes")
							? ModelAssumptions.warmNodes().withNodeProvisioning(0, 3, 100)
							: ModelAssumptions.warmNodes().withNodeProvisioning(120, 3, 0);
					List<ClusterSimulation.Second> seconds = ClusterSimulation.run(new ClusterSimulation.Inputs(
							deployment, m, shape, baselineRps, assumptions,
							new HpaController(hpa, ControllerSettings.kubernetesDefaults())));
					rows.add(new Row(target, minReplicas, start, scenario, SloVerdict.judge(seconds, burst[0], burst[1]),
							baselineRps));
				}
			}
		}
		return rows;
	}

	/** Pods that serve {@code rps} at {@code targetPercent} of their CPU request (what the HPA settles on). */
	static int replicasAtTarget(DeploymentSpec prod, Measurements measured, double rps, int targetPercent) {
		double perPodCores = targetPercent / 100.0 * prod.cpuRequestCores() - measured.idleCpuCores();
		if (perPodCores <= 0) {
			return Integer.MAX_VALUE / 2;
		}
		return (int) Math.ceil(rps * measured.cpuSecondsPerRequest() / perPodCores - 1e-9);
	}

	static String markdown(DeploymentSpec prod, Measurements measured, double fastStartCpuSeconds, List<Row> rows) {
		StringBuilder md = new StringBuilder("# HPA CPU target sweep: which target absorbs the 4x burst\n\n")
				.append("Generated by `./mvnw -pl load-tests compile exec:java@hpa-sweep` from [measurements.json](measurements.json), ")
				.append("the prod chart values and the fast-start CPU-seconds measured in ")
				.append("[notejam-app/BENCHMARKS.md](../../notejam-app/BENCHMARKS.md). Do not edit by hand.\n\n")
				.append(String.format(Locale.ROOT, "Fixed: typical traffic %.1f req/s (what the prod values are sized for: %d pods at %d %%), "
						+ "at most 4x the minimum replicas, %.3f cores CPU request, the prod `behavior`, ",
						rows.isEmpty() ? 0 : rows.get(0).baselineRps(), prod.hpa().minReplicas(),
						prod.hpa().targetCpuUtilizationPercent(), prod.cpuRequestCores()))
				.append(String.format(Locale.ROOT, "%.1f ms CPU per request, baseline p95 %.0f ms. ",
						measured.cpuSecondsPerRequest() * 1000, measured.baselineP95Ms()))
				.append("Per target, the minimum replicas are what the typical traffic needs at that target; the burst is 4x ")
				.append("the typical traffic within one minute (same shape as [capacity-model.md](capacity-model.md)). ")
				.append(String.format(Locale.ROOT, "Start-up: %.1f CPU-s is the default start measured by the harness", measured.startCpuSeconds()))
				.append(fastStartCpuSeconds > 0 ? String.format(Locale.ROOT, ", %.1f CPU-s the fast-start mode.\n\n", fastStartCpuSeconds) : ".\n\n")
				.append("| CPU target | min replicas | start-up | scenario | peak replicas | burst p95 | worst 1-s p95 | s over 300 ms | errors | SLO |\n")
				.append("|---|---|---|---|---|---|---|---|---|---|\n");
		for (Row r : rows) {
			SloVerdict v = r.verdict();
			md.append(String.format(Locale.ROOT, "| %d %% | %d | %s | %s | %d | %.0f ms | %.0f ms | %d | %.3f %% | %s |\n",
					r.target(), r.minReplicas(), r.start(), r.scenario(), v.peakReplicas(), v.burstP95Ms(),
					v.worstSecondP95Ms(), v.secondsOverSlo(), v.errorPercent(), v.met() ? "**met**" : "missed"));
		}
		return md.toString();
	}
}
