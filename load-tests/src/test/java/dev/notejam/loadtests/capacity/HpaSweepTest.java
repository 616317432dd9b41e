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

	@Test
	void theNodeGroupMaximumIsZonesTimesNodesPerZone() throws Exception {
		assertThat(HpaSweep.maxNodes("""
				azs      = ["eu-west-1a", "eu-west-1b"]
				node_scaling = { min = 1, desired = 2, max = 5 }
				""")).isEqualTo(10);
		String prod = java.nio.file.Files.readString(java.nio.file.Path.of("../environments/prod/platform.tfvars"));
		// prod: 3 zones x 10 nodes (raised from 4 when CapacityTest packed the burst with DaemonSets and system pods)
		assertThat(HpaSweep.maxNodes(prod)).isEqualTo(30);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> HpaSweep.maxNodes("azs = []"))
				.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void largerPodsAmortiseTheIdleCpuButFewerFitOnANode() {
		// 0.1 cores idle per pod; typical traffic = 3 pods x (60 % x 0.5 - 0.1) / 10 ms = 60 req/s = 0.6 cores of work
		Measurements idle = new Measurements("test", "test", 0.010, 0.1, 10, 50, 0.2, 20, 30, List.of());
		List<HpaSweep.PodSizeRow> rows = HpaSweep.podSizes(PROD, idle, 12);
		assertThat(rows).hasSize(HpaSweep.POD_CPU_REQUESTS.length * HpaSweep.POD_SIZE_TARGETS.length * 2);
		HpaSweep.PodSizeRow small = findSize(rows, 0.5, 35, "warm-nodes");
		HpaSweep.PodSizeRow large = findSize(rows, 1.5, 35, "warm-nodes");
		// 0.5 cores: 0.35 x 0.5 - 0.1 = 0.075 cores of work per pod -> 8 pods, 3 per node -> 3 nodes
		assertThat(small.podsPerNode()).isEqualTo(3);
		assertThat(small.minReplicas()).isEqualTo(8);
		assertThat(small.baselineNodes()).isEqualTo(3);
		// 1.5 cores: 0.425 per pod -> 2 pods, raised to the HA floor of 3, one per node
		assertThat(large.podsPerNode()).isEqualTo(1);
		assertThat(large.minReplicas()).isEqualTo(HpaSweep.HA_FLOOR);
		assertThat(large.baselineNodes()).isEqualTo(3);
		assertThat(findSize(rows, 0.75, 35, "warm-nodes").podsPerNode()).isEqualTo(2);
		// 12 nodes hold 12 large pods: 4x the 3 typical ones, just
		assertThat(large.maxReplicas()).isEqualTo(12);
		assertThat(large.fourTimesHeadroom()).isTrue();
	}

	@Test
	void aSmallNodeGroupCapsTheReplicasAndLosesTheFourTimesHeadroom() {
		List<HpaSweep.PodSizeRow> rows = HpaSweep.podSizes(PROD, MEASURED, 4);
		HpaSweep.PodSizeRow large = findSize(rows, 1.5, 35, "new-nodes");
		assertThat(large.maxReplicas()).isEqualTo(4);
		assertThat(large.fourTimesHeadroom()).isFalse();
		assertThat(large.verdict().peakReplicas()).isLessThanOrEqualTo(4);
		assertThat(HpaSweep.podSizeMarkdown(PROD, 4, rows)).contains("| 1.50 | 1 | 35 % |").contains("| **no** |");
	}

	private static HpaSweep.PodSizeRow findSize(List<HpaSweep.PodSizeRow> rows, double request, int target, String scenario) {
		return rows.stream().filter(r -> r.cpuRequestCores() == request && r.target() == target && r.scenario().equals(scenario))
				.findFirst().orElseThrow();
	}

	private static HpaSweep.Row find(List<HpaSweep.Row> rows, int target, String start, String scenario) {
		return rows.stream().filter(r -> r.target() == target && r.start().equals(start) && r.scenario().equals(scenario))
				.findFirst().orElseThrow();
	}
}
