package dev.notejam.loadtests.hpa;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether the HPA counts a pod's CPU sample, following the controller's rule for CPU metrics:
 * <ul>
 * <li>inside the CPU initialisation period after start, a sample counts only if the pod is Ready and a whole
 * metric window has been collected since it became Ready (so start-up CPU does not trigger scaling);</li>
 * <li>after that period, a pod is ignored only if it is not Ready and never became Ready within the initial
 * readiness delay.</li>
 * </ul>
 */
public final class ReadinessRule {

	private final ControllerSettings settings;

	public ReadinessRule(ControllerSettings settings) {
		this.settings = settings;
	}

	/**
	 * @param started              pod start time
	 * @param ready                current Ready condition
	 * @param lastReadyTransition  when the Ready condition last changed
	 * @param metricTimestamp      end of the metric sample's window
	 * @param metricWindow         length of the metric sample's window
	 */
	public boolean countsAsReady(Instant now, Instant started, boolean ready, Instant lastReadyTransition,
			Instant metricTimestamp, Duration metricWindow) {
		if (started.plus(settings.cpuInitializationPeriod()).isAfter(now)) {
			return ready && !metricTimestamp.isBefore(lastReadyTransition.plus(metricWindow));
		}
		boolean neverReadyInTime = !ready && started.plus(settings.initialReadinessDelay()).isAfter(lastReadyTransition);
		return !neverReadyInTime;
	}
}
