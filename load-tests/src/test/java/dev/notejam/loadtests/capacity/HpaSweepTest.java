package dev.notejam.loadtests.capacity;

import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import dev.notejam.loadtests.hpa.HpaSpec;

import static org.assertj.core.api.Assertions.assertThat;

class HpaSweepTest {

	private static final Measurements MEASURED = new Measurements("test", "test", 0.010, 0.0, 10, 50, 0.2, 20, 30, List.of());
	private static final DeploymentSpec PROD = new DeploymentSpec(0.5, OptionalDouble.empty(), 3,
			HpaSpec.withDefaultBehavior(3, 12, 60), 5, "test");

	@Test
	void coversEveryTargetBothScenariosAndBothStartModes() {
		List<HpaSweep.Row> rows = HpaSweep.sweep(PROD, MEASURED, 10);
		assertThat(rows).hasSize(HpaSweep.TARGETS.length * 2 * 2);
		assertThat(rows).extracting(HpaSweep.Row::start).containsOnly("30.0 CPU-s", "10.0 CPU-s");
	}

	@Test
	void moreHeadroomOrAFasterStartNeverMakesTheBurstWorse() {
		List<HpaSweep.Row> rows = HpaSweep.sweep(PROD, MEASURED, 10);
		HpaSweep.Row lowTarget = find(rows, 30, "30.0 CPU-s", "warm-nodes");
		HpaSweep.Row highTarget = find(rows, 70, "30.0 CPU-s", "warm-nodes");
		assertThat(lowTarget.verdict().burstP95Ms()).isLessThanOrEqualTo(highTarget.verdict().burstP95Ms());
		for (int target : HpaSweep.TARGETS) {
			assertThat(find(rows, target, "10.0 CPU-s", "new-nodes").verdict().burstP95Ms())
					.as("fast start at %d %%", target)
					.isLessThanOrEqualTo(find(rows, target, "30.0 CPU-s", "new-nodes").verdict().burstP95Ms());
		}
	}

	@Test
	void typicalTrafficIsFixedAndALowerTargetNeedsMorePodsAtBaseline() {
		List<HpaSweep.Row> rows = HpaSweep.sweep(PROD, MEASURED, 0);
		// the prod values are sized for 3 pods x 60 % x 0.5 cores / 10 ms per request = 90 req/s
		assertThat(rows).allSatisfy(r -> assertThat(r.baselineRps()).isCloseTo(90.0, org.assertj.core.data.Offset.offset(1e-6)));
		// 90 req/s x 10 ms = 0.9 cores; at 30 % of 0.5 cores per pod that is 6 pods, at 70 % 3 (the HA floor)
		assertThat(find(rows, 30, "30.0 CPU-s", "warm-nodes").minReplicas()).isEqualTo(6);
		assertThat(find(rows, 60, "30.0 CPU-s", "warm-nodes").minReplicas()).isEqualTo(3);
		assertThat(find(rows, 70, "30.0 CPU-s", "warm-nodes").minReplicas()).isEqualTo(3);
		assertThat(HpaSweep.markdown(PROD, MEASURED, 0, rows)).contains("| 30 % | 6 | 30.0 CPU-s | warm-nodes |");
	}

	private static HpaSweep.Row find(List<HpaSweep.Row> rows, int target, String start, String scenario) {
		return rows.stream().filter(r -> r.target() == target && r.start().equals(start) && r.scenario().equals(scenario))
				.findFirst().orElseThrow();
	}
}
