package dev.notejam.loadtests.hpa;

import java.time.Duration;

/**
 * kube-controller-manager flags that shape the HPA control loop; {@link #kubernetesDefaults()} are the documented defaults.
 *
 * @param syncPeriod               --horizontal-pod-autoscaler-sync-period
 * @param tolerance                --horizontal-pod-autoscaler-tolerance: no scaling while |ratio - 1| <= tolerance
 * @param cpuInitializationPeriod  --horizontal-pod-autoscaler-cpu-initialization-period
 * @param initialReadinessDelay    --horizontal-pod-autoscaler-initial-readiness-delay
 */
public record ControllerSettings(Duration syncPeriod, double tolerance, Duration cpuInitializationPeriod,
		Duration initialReadinessDelay) {

	public static ControllerSettings kubernetesDefaults() {
		return new ControllerSettings(Duration.ofSeconds(15), 0.1, Duration.ofMinutes(5), Duration.ofSeconds(30));
	}
}
