package dev.notejam.loadtests.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * The HorizontalPodAutoscaler control loop for one HPA with a CPU utilisation target, following the algorithm the
 * Kubernetes documentation describes (and kube-controller-manager implements):
 * <ol>
 * <li>desired = ceil(current * currentUtilisation / targetUtilisation), skipped while the ratio is within the
 * tolerance;</li>
 * <li>pods not yet ready are set aside; when scaling up they count as 0 % and pods without metrics as 0 %,
 * when scaling down pods without metrics count as 100 %; if that reverses the direction, nothing changes;</li>
 * <li>stabilisation: the highest recommendation of the scale-down window and the lowest of the scale-up window
 * bound the result;</li>
 * <li>rate limits: the {@code behavior} policies over their periods, picked by {@code selectPolicy};</li>
 * <li>min/max replicas.</li>
 * </ol>
 * Stateful: it remembers recommendations and scale events like the controller does. Call {@link #reconcile} once
 * per sync period.
 */
public final class HpaController {

	private record TimedRecommendation(Instant at, int replicas) {
	}

	private record ScaleEvent(Instant at, int change) {
	}

	/** The outcome of one sync. */
	public record Decision(int currentReplicas, int rawRecommendation, int desiredReplicas, double averageUtilizationPercent,
			String reason) {

		public boolean changed() {
			return desiredReplicas != currentReplicas;
		}

		/** Average utilisation of the pods with metrics, NaN when none had any. */
		public double averageUtilizationPercentOrNaN() {
			return averageUtilizationPercent;
		}
	}

	private final HpaSpec spec;
	private final ControllerSettings settings;
	private final List<TimedRecommendation> recommendations = new ArrayList<>();
	private final List<ScaleEvent> scaleUpEvents = new ArrayList<>();
	private final List<ScaleEvent> scaleDownEvents = new ArrayList<>();

	public HpaController(HpaSpec spec, ControllerSettings settings) {
		this.spec = spec;
		this.settings = settings;
	}

	public HpaSpec spec() {
		return spec;
	}

	public ControllerSettings settings() {
		return settings;
	}

	/**
	 * One sync of the control loop.
	 *
	 * @param now             the sync time; calls must be in time order
	 * @param currentReplicas the scale target's spec.replicas
	 * @param pods            the pods that belong to the scale target and what metrics-server knows of them
	 * @return the replica count the controller writes to the scale target
	 */
	public Decision reconcile(Instant now, int currentReplicas, List<PodSample> pods) {
		Recommendation raw = recommend(currentReplicas, pods);
		int desired = raw.replicas;
		String reason = raw.reason;
		if (currentReplicas > spec.maxReplicas()) {
			desired = spec.maxReplicas();
			reason = "current replicas above maxReplicas";
		}
		else if (currentReplicas < spec.minReplicas()) {
			desired = spec.minReplicas();
			reason = "current replicas below minReplicas";
		}
		else {
			int stabilized = stabilize(now, currentReplicas, desired);
			if (stabilized != desired) {
				reason = "stabilisation window holds " + stabilized;
			}
			int limited = applyRateLimits(now, currentReplicas, stabilized);
			if (limited != stabilized) {
				reason = "behavior policy or min/max limits the change to " + limited;
			}
			desired = limited;
		}
		if (desired != currentReplicas) {
			recordScaleEvent(now, desired - currentReplicas);
		}
		return new Decision(currentReplicas, raw.replicas, desired, raw.averageUtilization, reason);
	}

	private record Recommendation(int replicas, double averageUtilization, String reason) {
	}

	/** The replica calculator for a resource utilisation metric. */
	private Recommendation recommend(int currentReplicas, List<PodSample> pods) {
		double target = spec.targetCpuUtilizationPercent();
		List<Double> withMetrics = new ArrayList<>();
		int unready = 0;
		int missing = 0;
		for (PodSample pod : pods) {
			if (!pod.ready()) {
				unready++;
			}
			else if (pod.cpuUtilizationPercent().isPresent()) {
				withMetrics.add(pod.cpuUtilizationPercent().getAsDouble());
			}
			else {
				missing++;
			}
		}
		if (withMetrics.isEmpty()) {
			return new Recommendation(currentReplicas, Double.NaN, "no pod has metrics: keep replicas");
		}
		double average = average(withMetrics);
		double usageRatio = average / target;
		boolean scaleUpWithUnready = unready > 0 && usageRatio > 1.0;
		if (!scaleUpWithUnready && missing == 0) {
			if (withinTolerance(usageRatio)) {
				return new Recommendation(currentReplicas, average, "within tolerance");
			}
			return new Recommendation((int) Math.ceil(usageRatio * withMetrics.size()), average, "usage ratio " + round(usageRatio));
		}
		List<Double> adjusted = new ArrayList<>(withMetrics);
		if (missing > 0) {
			double fallback = usageRatio < 1.0 ? Math.max(100.0, target) : 0.0;
			for (int i = 0; i < missing; i++) {
				adjusted.add(fallback);
			}
		}
		if (scaleUpWithUnready) {
			for (int i = 0; i < unready; i++) {
				adjusted.add(0.0);
			}
		}
		double newUsageRatio = average(adjusted) / target;
		boolean reversed = (usageRatio > 1.0 && newUsageRatio < 1.0) || (usageRatio < 1.0 && newUsageRatio > 1.0);
		if (withinTolerance(newUsageRatio) || reversed) {
			return new Recommendation(currentReplicas, average, "unready or missing pods cancel the change");
		}
		int newReplicas = (int) Math.ceil(newUsageRatio * adjusted.size());
		if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
			return new Recommendation(currentReplicas, average, "unready or missing pods cancel the change");
		}
		return new Recommendation(newReplicas, average, "usage ratio " + round(newUsageRatio) + " counting unready/missing pods");
	}

	private boolean withinTolerance(double usageRatio) {
		return Math.abs(1.0 - usageRatio) <= settings.tolerance();
	}

	/** Bounds the recommendation by the scale-up and scale-down stabilisation windows, then records it. */
	private int stabilize(Instant now, int currentReplicas, int recommendation) {
		Instant upCutoff = now.minusSeconds(spec.scaleUp().stabilizationWindowSeconds());
		Instant downCutoff = now.minusSeconds(spec.scaleDown().stabilizationWindowSeconds());
		int upRecommendation = recommendation;
		int downRecommendation = recommendation;
		for (TimedRecommendation past : recommendations) {
			if (past.at().isAfter(upCutoff)) {
				upRecommendation = Math.min(upRecommendation, past.replicas());
			}
			if (past.at().isAfter(downCutoff)) {
				downRecommendation = Math.max(downRecommendation, past.replicas());
			}
		}
		int result = Math.max(currentReplicas, upRecommendation);
		result = Math.min(result, downRecommendation);
		Instant oldest = upCutoff.isBefore(downCutoff) ? upCutoff : downCutoff;
		recommendations.removeIf(past -> past.at().isBefore(oldest));
		recommendations.add(new TimedRecommendation(now, recommendation));
		return result;
	}

	private int applyRateLimits(Instant now, int currentReplicas, int desired) {
		if (desired > currentReplicas) {
			int scaleUpLimit = Math.max(currentReplicas, scaleUpLimit(now, currentReplicas));
			int maximumAllowed = Math.min(spec.maxReplicas(), scaleUpLimit);
			return Math.min(desired, maximumAllowed);
		}
		if (desired < currentReplicas) {
			int scaleDownLimit = Math.min(currentReplicas, scaleDownLimit(now, currentReplicas));
			int minimumAllowed = Math.max(spec.minReplicas(), scaleDownLimit);
			return Math.max(desired, minimumAllowed);
		}
		return desired;
	}

	private int scaleUpLimit(Instant now, int currentReplicas) {
		ScalingRules rules = spec.scaleUp();
		if (rules.selectPolicy() == ScalingRules.SelectPolicy.DISABLED) {
			return currentReplicas;
		}
		// "Max" picks the policy allowing the biggest change, i.e. the highest replica count when scaling up.
		boolean max = rules.selectPolicy() == ScalingRules.SelectPolicy.MAX;
		IntBinaryOperator select = max ? Math::max : Math::min;
		int result = max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
		for (ScalingPolicy policy : rules.policies()) {
			int periodStart = periodStartReplicas(now, currentReplicas, policy.periodSeconds());
			int proposed = switch (policy.type()) {
				case PODS -> periodStart + policy.value();
				case PERCENT -> (int) Math.ceil(periodStart * (1 + policy.value() / 100.0));
			};
			result = select.applyAsInt(result, proposed);
		}
		return result;
	}

	private int scaleDownLimit(Instant now, int currentReplicas) {
		ScalingRules rules = spec.scaleDown();
		if (rules.selectPolicy() == ScalingRules.SelectPolicy.DISABLED) {
			return currentReplicas;
		}
		// "Max" picks the biggest change, i.e. the lowest replica count when scaling down.
		boolean max = rules.selectPolicy() == ScalingRules.SelectPolicy.MAX;
		IntBinaryOperator select = max ? Math::min : Math::max;
		int result = max ? Integer.MAX_VALUE : Integer.MIN_VALUE;
		for (ScalingPolicy policy : rules.policies()) {
			int periodStart = periodStartReplicas(now, currentReplicas, policy.periodSeconds());
			int proposed = switch (policy.type()) {
				case PODS -> periodStart - policy.value();
				// truncation, as the controller converts the float product to int32
				case PERCENT -> (int) (periodStart * (1 - policy.value() / 100.0));
			};
			result = select.applyAsInt(result, proposed);
		}
		return result;
	}

	/** Replicas at the start of the policy's period: current minus what was added plus what was removed since. */
	private int periodStartReplicas(Instant now, int currentReplicas, int periodSeconds) {
		Instant cutoff = now.minusSeconds(periodSeconds);
		int added = scaleUpEvents.stream().filter(e -> e.at().isAfter(cutoff)).mapToInt(ScaleEvent::change).sum();
		int removed = scaleDownEvents.stream().filter(e -> e.at().isAfter(cutoff)).mapToInt(ScaleEvent::change).sum();
		return currentReplicas - added + removed;
	}

	private void recordScaleEvent(Instant now, int change) {
		if (change > 0) {
			scaleUpEvents.add(new ScaleEvent(now, change));
		}
		else {
			scaleDownEvents.add(new ScaleEvent(now, -change));
		}
		Duration keepUp = Duration.ofSeconds(spec.scaleUp().longestPolicyPeriodSeconds());
		Duration keepDown = Duration.ofSeconds(spec.scaleDown().longestPolicyPeriodSeconds());
		scaleUpEvents.removeIf(e -> !e.at().isAfter(now.minus(keepUp)));
		scaleDownEvents.removeIf(e -> !e.at().isAfter(now.minus(keepDown)));
	}

	private static double average(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
	}

	private static String round(double value) {
		return String.format(java.util.Locale.ROOT, "%.2f", value);
	}
}
