package dev.notejam.loadtests.hpa;

/**
 * One entry of {@code spec.behavior.scaleUp|scaleDown.policies} of an autoscaling/v2 HorizontalPodAutoscaler.
 *
 * @param type          {@code Pods} (absolute number) or {@code Percent} (of the replicas at the start of the period)
 * @param value         how many pods or percent may change within one period
 * @param periodSeconds length of the sliding window the change is counted over
 */
public record ScalingPolicy(Type type, int value, int periodSeconds) {

	public enum Type {
		PODS, PERCENT;

		public static Type parse(String kubernetesName) {
			return switch (kubernetesName) {
				case "Pods" -> PODS;
				case "Percent" -> PERCENT;
				default -> throw new IllegalArgumentException("unknown HPA policy type: " + kubernetesName);
			};
		}
	}

	public ScalingPolicy {
		if (value <= 0) {
			throw new IllegalArgumentException("policy value must be > 0, was " + value);
		}
		if (periodSeconds <= 0 || periodSeconds > 1800) {
			throw new IllegalArgumentException("policy periodSeconds must be in 1..1800, was " + periodSeconds);
		}
	}

	public static ScalingPolicy pods(int value, int periodSeconds) {
		return new ScalingPolicy(Type.PODS, value, periodSeconds);
	}

	public static ScalingPolicy percent(int value, int periodSeconds) {
		return new ScalingPolicy(Type.PERCENT, value, periodSeconds);
	}
}
