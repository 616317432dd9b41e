package dev.notejam.loadtests.hpa;

import java.util.OptionalDouble;

/**
 * What the HPA sees of one pod at a sync: whether it counts as ready for CPU purposes and its CPU utilisation
 * (percent of the pod's CPU request), if metrics-server has a sample for it.
 *
 * <p>"Ready" follows the controller: a pod still inside the CPU initialisation period whose sample may include
 * start-up CPU is treated as not yet ready, see {@link ReadinessRule}.
 */
public record PodSample(String name, boolean ready, OptionalDouble cpuUtilizationPercent) {

	public static PodSample ready(String name, double utilizationPercent) {
		return new PodSample(name, true, OptionalDouble.of(utilizationPercent));
	}

	public static PodSample unready(String name) {
		return new PodSample(name, false, OptionalDouble.empty());
	}

	public static PodSample missingMetrics(String name) {
		return new PodSample(name, true, OptionalDouble.empty());
	}
}
