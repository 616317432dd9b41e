package dev.notejam.loadtests.capacity;

import java.util.List;

/**
 * Judges a simulated run against the SLO of DESIGN.md section 9: p95 under 300 ms and errors under 0.1 % over the
 * burst.
 *
 * <p>The p95 over a window mixes the seconds by their request counts. Within one second latency is taken as
 * exponentially distributed with that second's p95 (mean = p95 / ln 20); the 95th percentile of the mixture is then
 * found by bisection.
 */
public record SloVerdict(double burstP95Ms, double worstSecondP95Ms, int secondsOverSlo, double errorPercent,
		int peakReplicas, int peakReadyReplicas, double peakUtilizationPercent, int secondsToPeakReplicas, boolean met) {

	public static final double SLO_P95_MS = 300;
	public static final double SLO_ERROR_PERCENT = 0.1;

	public static SloVerdict judge(List<ClusterSimulation.Second> seconds, int fromSecond, int toSecond) {
		List<ClusterSimulation.Second> window = seconds.stream().filter(s -> s.t() >= fromSecond && s.t() < toSecond).toList();
		if (window.isEmpty()) {
			throw new IllegalArgumentException("empty window " + fromSecond + ".." + toSecond);
		}
		double requests = window.stream().mapToDouble(ClusterSimulation.Second::offeredRps).sum();
		double failed = window.stream().mapToDouble(ClusterSimulation.Second::timedOutRequests).sum();
		double worst = window.stream().mapToDouble(ClusterSimulation.Second::p95Ms).max().orElse(0);
		int over = (int) window.stream().filter(s -> s.p95Ms() > SLO_P95_MS).count();
		int peak = seconds.stream().mapToInt(ClusterSimulation.Second::desiredReplicas).max().orElse(0);
		int peakReady = seconds.stream().mapToInt(ClusterSimulation.Second::readyReplicas).max().orElse(0);
		double peakUtilization = window.stream().mapToDouble(ClusterSimulation.Second::utilizationPercentOfRequest).max().orElse(0);
		int toPeak = seconds.stream().filter(s -> s.readyReplicas() == peakReady).mapToInt(ClusterSimulation.Second::t)
				.findFirst().orElse(-1) - fromSecond;
		double p95 = mixtureP95(window);
		double errorPercent = requests == 0 ? 0 : 100.0 * failed / requests;
		return new SloVerdict(p95, worst, over, errorPercent, peak, peakReady, peakUtilization, toPeak,
				p95 < SLO_P95_MS && errorPercent < SLO_ERROR_PERCENT);
	}

	static double mixtureP95(List<ClusterSimulation.Second> window) {
		double total = window.stream().mapToDouble(ClusterSimulation.Second::offeredRps).sum();
		double low = 0;
		double high = window.stream().mapToDouble(ClusterSimulation.Second::p95Ms).max().orElse(0) * 2 + 1;
		for (int i = 0; i < 100; i++) {
			double mid = (low + high) / 2;
			double below = 0;
			for (ClusterSimulation.Second s : window) {
				double mean = s.p95Ms() / Math.log(20);
				below += s.offeredRps() * (1 - Math.exp(-mid / mean));
			}
			if (below / total < 0.95) {
				low = mid;
			}
			else {
				high = mid;
			}
		}
		return high;
	}
}
