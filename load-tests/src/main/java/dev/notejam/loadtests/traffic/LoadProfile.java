package dev.notejam.loadtests.traffic;

import java.util.List;
import java.util.Locale;

import dev.notejam.loadtests.traffic.TrafficShape.Phase;

/**
 * The injection profiles of the load tests. Durations are in seconds; every rate is a multiple of the baseline
 * arrival rate of journeys (property {@code loadtest.baselineUsersPerSec}).
 *
 * <ul>
 * <li>{@code smoke}: a few journeys in seconds, for {@code ./mvnw verify};</li>
 * <li>{@code baseline}: typical business-hours traffic, held;</li>
 * <li>{@code burst4x}: baseline, ramp to 4x within a minute, hold, ramp back down, baseline again;</li>
 * <li>{@code soak}: baseline for a long time (bounded).</li>
 * </ul>
 */
public enum LoadProfile {

	SMOKE {
		@Override
		public TrafficShape shape() {
			return new TrafficShape("smoke", List.of(new Phase("smoke", 15, 1, 1)));
		}
	},
	BASELINE {
		@Override
		public TrafficShape shape() {
			return new TrafficShape("baseline", List.of(new Phase("baseline", seconds("loadtest.baselineSeconds", 180), 1, 1)));
		}
	},
	BURST4X {
		@Override
		public TrafficShape shape() {
			return new TrafficShape("burst4x", List.of(
					new Phase("baseline", seconds("loadtest.burst.warmupSeconds", 30), 1, 1),
					new Phase("burst-ramp-up", seconds("loadtest.burst.rampSeconds", 60), 1, 4),
					new Phase("burst-hold", seconds("loadtest.burst.holdSeconds", 90), 4, 4),
					new Phase("burst-ramp-down", seconds("loadtest.burst.rampDownSeconds", 30), 4, 1),
					new Phase("after", seconds("loadtest.burst.cooldownSeconds", 30), 1, 1)));
		}
	},
	SOAK {
		@Override
		public TrafficShape shape() {
			return new TrafficShape("soak", List.of(new Phase("soak", seconds("loadtest.soakSeconds", 1800), 1, 1)));
		}
	};

	public abstract TrafficShape shape();

	public static LoadProfile parse(String name) {
		return valueOf(name.trim().toUpperCase(Locale.ROOT));
	}

	private static int seconds(String property, int fallback) {
		int value = Integer.getInteger(property, fallback);
		// bounded runs only: nothing longer than two hours
		if (value <= 0 || value > 7200) {
			throw new IllegalArgumentException(property + " must be in 1..7200 seconds, was " + value);
		}
		return value;
	}
}
