package dev.notejam.loadtests.capacity;

import java.util.OptionalDouble;

import dev.notejam.loadtests.hpa.HpaSpec;

/**
 * What the capacity model needs from the rendered chart: the app container's CPU request and limit, the
 * Deployment's replica count (if the chart sets one) and the HorizontalPodAutoscaler.
 *
 * @param probeDelaySeconds expected wait between the app being ready and the kubelet noticing: half the startup
 *                          probe period plus half the readiness probe period (the readiness probe starts after the
 *                          startup probe succeeds)
 * @param source where these figures were read from (chart path and values file)
 */
public record DeploymentSpec(double cpuRequestCores, OptionalDouble cpuLimitCores, int typicalReplicas, HpaSpec hpa,
		double probeDelaySeconds, String source) {

	public DeploymentSpec {
		if (cpuRequestCores <= 0) {
			throw new IllegalArgumentException("the app container needs a CPU request for a CPU HPA, was " + cpuRequestCores);
		}
	}
}
