package dev.notejam.loadtests.traffic;

import java.util.ArrayList;
import java.util.List;

/**
 * A load shape as phases of linearly changing arrival rate, in multiples of the baseline rate. The Gatling
 * simulations turn it into injection steps; the capacity model reads the same shape as requests per second.
 */
public record TrafficShape(String name, List<Phase> phases) {

	/** One phase: the rate goes linearly from {@code fromMultiple} to {@code toMultiple} of the baseline. */
	public record Phase(String label, int durationSeconds, double fromMultiple, double toMultiple) {

		public Phase {
			if (durationSeconds <= 0) {
				throw new IllegalArgumentException("phase " + label + " needs a positive duration");
			}
			if (fromMultiple < 0 || toMultiple < 0) {
				throw new IllegalArgumentException("phase " + label + " has a negative rate");
			}
		}

		public boolean isConstant() {
			return fromMultiple == toMultiple;
		}
	}

	public TrafficShape {
		phases = List.copyOf(phases);
		if (phases.isEmpty()) {
			throw new IllegalArgumentException("a traffic shape needs at least one phase");
		}
	}

	public int durationSeconds() {
		return phases.stream().mapToInt(Phase::durationSeconds).sum();
	}

	/** The rate multiple at {@code second} seconds from the start; 0 after the end. */
	public double multipleAt(double second) {
		double start = 0;
		for (Phase phase : phases) {
			if (second < start + phase.durationSeconds()) {
				double fraction = (second - start) / phase.durationSeconds();
				return phase.fromMultiple() + (phase.toMultiple() - phase.fromMultiple()) * fraction;
			}
			start += phase.durationSeconds();
		}
		return 0;
	}

	public double peakMultiple() {
		return phases.stream().mapToDouble(p -> Math.max(p.fromMultiple(), p.toMultiple())).max().orElse(0);
	}

	/** Start and end second of the phases whose label starts with {@code prefix}, e.g. the burst. */
	public int[] window(String prefix) {
		int start = 0;
		int from = -1;
		int to = -1;
		for (Phase phase : phases) {
			if (phase.label().startsWith(prefix)) {
				if (from < 0) {
					from = start;
				}
				to = start + phase.durationSeconds();
			}
			start += phase.durationSeconds();
		}
		if (from < 0) {
			throw new IllegalArgumentException("no phase labelled " + prefix + "* in " + name);
		}
		return new int[] { from, to };
	}

	/** The same shape with a longer last phase, so a model run also shows the scale-down afterwards. */
	public TrafficShape withTail(int extraSeconds) {
		if (extraSeconds <= 0) {
			return this;
		}
		List<Phase> longer = new ArrayList<>(phases);
		Phase last = phases.get(phases.size() - 1);
		longer.add(new Phase("tail", extraSeconds, last.toMultiple(), last.toMultiple()));
		return new TrafficShape(name, longer);
	}
}
