package dev.notejam.loadtests.capacity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Figures measured by the local experiments ({@code load-tests/harness}), read from
 * {@code docs/scaling/measurements.json}. Every field comes from a run; {@link #source} names the command.
 *
 * @param cpuSecondsPerRequest   app CPU time (user + system, all threads) divided by requests served, at baseline
 * @param idleCpuCores           CPU an idle instance burns (cores)
 * @param requestsPerJourney     Gatling requests per journey of the weighted mix
 * @param baselineP95Ms          p95 of the journey mix at baseline on one instance
 * @param baselineUtilization    share of the machine's cores busy during that baseline (for the latency model)
 * @param startToReadySeconds    from {@code java -jar} to the readiness probe answering 200 (median, wall clock on the
 *                               shared machine)
 * @param startCpuSeconds        CPU the JVM used until ready (median); independent of how busy the machine was
 * @param capacityRuns           the burst against 1, 2, 3 instances
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Measurements(String source, String machine, double cpuSecondsPerRequest, double idleCpuCores,
		double requestsPerJourney, double baselineP95Ms, double baselineUtilization, double startToReadySeconds,
		double startCpuSeconds, List<CapacityRun> capacityRuns) {

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record CapacityRun(int instances, double throughputRps, double p95Ms, double errorPercent,
			double machineCpuUtilization) {
	}

	public Measurements {
		if (cpuSecondsPerRequest <= 0 || cpuSecondsPerRequest > 10) {
			throw new IllegalArgumentException("cpuSecondsPerRequest must be a measured positive figure, was " + cpuSecondsPerRequest);
		}
		if (startToReadySeconds <= 0) {
			throw new IllegalArgumentException("startToReadySeconds must be measured, was " + startToReadySeconds);
		}
		if (baselineP95Ms <= 0) {
			throw new IllegalArgumentException("baselineP95Ms must be measured, was " + baselineP95Ms);
		}
		capacityRuns = capacityRuns == null ? List.of() : List.copyOf(capacityRuns);
	}

	/** The same figures with another baseline p95 (what-if runs of the model). */
	public Measurements withBaselineP95Ms(double p95Ms) {
		return new Measurements(source, machine, cpuSecondsPerRequest, idleCpuCores, requestsPerJourney, p95Ms,
				baselineUtilization, startToReadySeconds, startCpuSeconds, capacityRuns);
	}

	/** The same figures with another start-up cost (e.g. the fast-start mode measured by notejam-app). */
	public Measurements withStartCpuSeconds(double cpuSeconds) {
		return new Measurements(source, machine, cpuSecondsPerRequest, idleCpuCores, requestsPerJourney, baselineP95Ms,
				baselineUtilization, startToReadySeconds, cpuSeconds, capacityRuns);
	}

	public static Measurements read(Path file) throws IOException {
		return new ObjectMapper().readValue(file.toFile(), Measurements.class);
	}
}
