package dev.notejam.loadtests.capacity;

/**
 * Predicts the p95 latency of the journey mix from the CPU utilisation of a pod.
 *
 * <p>Processor-sharing queue (M/M/1-PS): response time grows as 1 / (1 - rho). The whole measured low-load p95 is
 * scaled, although part of it is database and Redis time that does not queue on the pod's CPU: this makes the
 * prediction an upper bound. Above {@code maxQueueingUtilization} the pod falls behind; the simulation then keeps a
 * backlog of CPU work, and the time to drain it adds to every request's latency.
 */
public final class LatencyModel {

	private final double lowLoadP95Ms;
	private final double lowLoadUtilization;
	private final double maxUtilization;

	/**
	 * @param measuredP95Ms       p95 measured at baseline
	 * @param measuredUtilization CPU utilisation (of the cores available) during that measurement
	 */
	public LatencyModel(double measuredP95Ms, double measuredUtilization, double maxUtilization) {
		double rho = Math.min(Math.max(measuredUtilization, 0), maxUtilization);
		// undo the queueing already contained in the measurement
		this.lowLoadP95Ms = measuredP95Ms * (1 - rho);
		this.lowLoadUtilization = rho;
		this.maxUtilization = maxUtilization;
	}

	public double lowLoadP95Ms() {
		return lowLoadP95Ms;
	}

	public double lowLoadUtilization() {
		return lowLoadUtilization;
	}

	/**
	 * @param utilization         CPU demand divided by the CPU the pod can use
	 * @param backlogDelaySeconds time to drain the CPU work already queued
	 */
	public double p95Ms(double utilization, double backlogDelaySeconds) {
		double rho = Math.min(Math.max(utilization, 0), maxUtilization);
		return lowLoadP95Ms / (1 - rho) + backlogDelaySeconds * 1000.0;
	}
}
