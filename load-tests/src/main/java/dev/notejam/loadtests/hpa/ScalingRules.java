package dev.notejam.loadtests.hpa;

import java.util.List;

/**
 * {@code spec.behavior.scaleUp} or {@code spec.behavior.scaleDown} of an autoscaling/v2 HorizontalPodAutoscaler.
 * The factory methods return the defaults the API server fills in when a field is left out.
 */
public record ScalingRules(int stabilizationWindowSeconds, SelectPolicy selectPolicy, List<ScalingPolicy> policies) {

	public enum SelectPolicy {
		MAX, MIN, DISABLED;

		public static SelectPolicy parse(String kubernetesName) {
			return switch (kubernetesName) {
				case "Max" -> MAX;
				case "Min" -> MIN;
				case "Disabled" -> DISABLED;
				default -> throw new IllegalArgumentException("unknown HPA selectPolicy: " + kubernetesName);
			};
		}
	}

	public ScalingRules {
		if (stabilizationWindowSeconds < 0 || stabilizationWindowSeconds > 3600) {
			throw new IllegalArgumentException("stabilizationWindowSeconds must be in 0..3600, was " + stabilizationWindowSeconds);
		}
		policies = List.copyOf(policies);
		if (policies.isEmpty() && selectPolicy != SelectPolicy.DISABLED) {
			throw new IllegalArgumentException("at least one policy is needed unless selectPolicy is Disabled");
		}
	}

	/** Kubernetes default for scale up: no stabilisation, double or add 4 pods every 15 s, whichever is more. */
	public static ScalingRules defaultScaleUp() {
		return new ScalingRules(0, SelectPolicy.MAX,
				List.of(ScalingPolicy.percent(100, 15), ScalingPolicy.pods(4, 15)));
	}

	/** Kubernetes default for scale down: 300 s stabilisation window, then down to the target at once. */
	public static ScalingRules defaultScaleDown() {
		return new ScalingRules(300, SelectPolicy.MAX, List.of(ScalingPolicy.percent(100, 15)));
	}

	int longestPolicyPeriodSeconds() {
		return policies.stream().mapToInt(ScalingPolicy::periodSeconds).max().orElse(0);
	}
}
