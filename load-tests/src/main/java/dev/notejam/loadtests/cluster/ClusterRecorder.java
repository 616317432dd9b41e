package dev.notejam.loadtests.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Consumer;

import dev.notejam.loadtests.capacity.ScalingChart;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Records, during a load run against a cluster, the app Deployment's replicas and its HorizontalPodAutoscaler's
 * status through the Kubernetes API, and draws them like the capacity model's chart.
 */
public final class ClusterRecorder {

	/** One observation. Missing values (an object not found, no metric yet) are -1. */
	public record Sample(Instant at, int specReplicas, int readyReplicas, int hpaCurrentReplicas, int hpaDesiredReplicas,
			int cpuUtilizationPercent, int cpuTargetPercent) {
	}

	private final KubernetesClient client;
	private final String namespace;
	private final String deployment;
	private final String hpa;

	public ClusterRecorder(KubernetesClient client, String namespace, String deployment, String hpa) {
		this.client = client;
		this.namespace = namespace;
		this.deployment = deployment;
		this.hpa = hpa;
	}

	public Sample sample() {
		Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
		HorizontalPodAutoscaler h = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(hpa).get();
		int spec = d == null || d.getSpec() == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
		int ready = d == null || d.getStatus() == null ? -1 : valueOr(d.getStatus().getReadyReplicas(), 0);
		int current = h == null || h.getStatus() == null ? -1 : valueOr(h.getStatus().getCurrentReplicas(), -1);
		int desired = h == null || h.getStatus() == null ? -1 : valueOr(h.getStatus().getDesiredReplicas(), -1);
		int utilization = -1;
		if (h != null && h.getStatus() != null && h.getStatus().getCurrentMetrics() != null) {
			for (MetricStatus metric : h.getStatus().getCurrentMetrics()) {
				if (metric.getResource() != null && "cpu".equals(metric.getResource().getName())
						&& metric.getResource().getCurrent() != null) {
					utilization = valueOr(metric.getResource().getCurrent().getAverageUtilization(), -1);
				}
			}
		}
		int target = -1;
		if (h != null && h.getSpec() != null && h.getSpec().getMetrics() != null) {
			target = h.getSpec().getMetrics().stream()
					.filter(m -> m.getResource() != null && "cpu".equals(m.getResource().getName()))
					.map(m -> m.getResource().getTarget().getAverageUtilization())
					.filter(v -> v != null).findFirst().orElse(-1);
		}
		return new Sample(Instant.now(), spec, ready, current, desired, utilization, target);
	}

	/**
	 * Samples every {@code interval} until {@code duration} has passed (bounded) or the thread is interrupted.
	 */
	public List<Sample> record(Duration duration, Duration interval, Consumer<Sample> progress) {
		List<Sample> samples = new ArrayList<>();
		Instant end = Instant.now().plus(duration);
		while (Instant.now().isBefore(end) && !Thread.currentThread().isInterrupted()) {
			Sample sample = sample();
			samples.add(sample);
			progress.accept(sample);
			try {
				Thread.sleep(interval.toMillis());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		return samples;
	}

	public static void writeCsv(Path file, List<Sample> samples) throws IOException {
		StringBuilder csv = new StringBuilder("seconds,spec_replicas,ready_replicas,hpa_current,hpa_desired,cpu_utilization,cpu_target\n");
		Instant start = samples.isEmpty() ? Instant.now() : samples.get(0).at();
		for (Sample s : samples) {
			csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d%n", seconds(start, s.at()), s.specReplicas(),
					s.readyReplicas(), s.hpaCurrentReplicas(), s.hpaDesiredReplicas(), s.cpuUtilizationPercent(), s.cpuTargetPercent()));
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, csv);
	}

	/** The replica and CPU panels of the capacity model's chart, from recorded data. */
	public static void chart(Path png, String title, List<Sample> samples) throws IOException {
		int n = samples.size();
		double[] t = new double[n];
		double[] desired = new double[n];
		double[] ready = new double[n];
		double[] cpu = new double[n];
		Instant start = n == 0 ? Instant.now() : samples.get(0).at();
		int target = -1;
		for (int i = 0; i < n; i++) {
			Sample s = samples.get(i);
			t[i] = seconds(start, s.at());
			desired[i] = s.hpaDesiredReplicas() < 0 ? Double.NaN : s.hpaDesiredReplicas();
			ready[i] = s.readyReplicas() < 0 ? Double.NaN : s.readyReplicas();
			cpu[i] = s.cpuUtilizationPercent() < 0 ? Double.NaN : s.cpuUtilizationPercent();
			target = Math.max(target, s.cpuTargetPercent());
		}
		ScalingChart.write(png, title, "recorded from the cluster's Kubernetes API", List.of(
				new ScalingChart.Panel("replicas", List.of(new ScalingChart.Series("desired (HPA)", t, desired, true),
						new ScalingChart.Series("ready", t, ready, true)), OptionalDouble.empty(), ""),
				new ScalingChart.Panel("CPU % of request", List.of(new ScalingChart.Series("seen by the HPA", t, cpu, false)),
						target > 0 ? OptionalDouble.of(target) : OptionalDouble.empty(), "HPA target")));
	}

	private static double seconds(Instant start, Instant at) {
		return Duration.between(start, at).toMillis() / 1000.0;
	}

	private static int valueOr(Integer value, int fallback) {
		return value == null ? fallback : value;
	}
}
