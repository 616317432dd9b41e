package dev.notejam.loadtests.hpa;

/**
 * The parts of an autoscaling/v2 HorizontalPodAutoscaler spec that drive a CPU-utilisation autoscaler.
 *
 * @param targetCpuUtilizationPercent {@code metrics[].resource.target.averageUtilization} for {@code cpu}
 */
public record HpaSpec(int minReplicas, int maxReplicas, int targetCpuUtilizationPercent,
		ScalingRules scaleUp, ScalingRules scaleDown) {

	public HpaSpec {
		if (minReplicas < 1) {
			throw new IllegalArgumentException("minReplicas must be >= 1, was " + minReplicas);
		}
		if (maxReplicas < minReplicas) {
			throw new IllegalArgumentException("maxReplicas " + maxReplicas + " < minReplicas " + minReplicas);
		}
		if (targetCpuUtilizationPercent <= 0) {
			throw new IllegalArgumentException("target CPU utilisation must be > 0, was " + targetCpuUtilizationPercent);
		}
	}

	public static HpaSpec withDefaultBehavior(int minReplicas, int maxReplicas, int targetCpuUtilizationPercent) {
		return new HpaSpec(minReplicas, maxReplicas, targetCpuUtilizationPercent,
				ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown());
	}
}
