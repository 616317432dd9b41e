package dev.notejam.loadtests.capacity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The burst model chooses prod's sizing ({@link BurstCost#choose} over the current inputs); prod must deploy exactly
 * that: the HPA target, minimum and maximum of the chart rendered with prod's values, the pods' CPU request, and the
 * node type of prod's node groups. Change the inputs (a new calibration, other nodes) and this fails until prod's
 * values follow the model, or the model's choice is looked at again.
 */
class ProdSizingTest {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static BurstCost.Inputs current;
	private static List<BurstCost.Candidate> rows;
	private static BurstCost.Candidate chosen;

	@BeforeAll
	static void runTheModel() throws Exception {
		current = BurstCost.currentInputs(ROOT);
		rows = BurstCost.sweep(current);
		chosen = BurstCost.choose(rows, BurstCost.currentInstanceType(ROOT)).orElseThrow();
	}

	@Test
	void prodDeploysTheHpaTheModelChose() {
		DeploymentSpec prod = current.prod();
		assertThat(prod.hpa().targetCpuUtilizationPercent()).as("HPA CPU target").isEqualTo(chosen.target());
		assertThat(prod.hpa().minReplicas()).as("HPA minReplicas").isEqualTo(chosen.minReplicas());
		assertThat(prod.hpa().maxReplicas()).as("HPA maxReplicas (4x the minimum)").isEqualTo(chosen.maxReplicas());
		assertThat(prod.cpuRequestCores()).as("CPU request").isEqualTo(chosen.cpuRequestCores());
	}

	@Test
	void prodNodeGroupsRunTheNodeTypeTheModelChoseAndHoldFourTimesTheMinimum() throws Exception {
		assertThat(BurstCost.currentInstanceType(ROOT)).isEqualTo(chosen.instanceType());
		NodeCapacity nodes = NodeCapacity.read(ROOT, "prod");
		assertThat(nodes.appSlots(nodes.maxNodes(), chosen.cpuRequestCores())).isGreaterThanOrEqualTo(chosen.maxReplicas());
	}

	@Test
	void theChoiceHoldsTheBurstAndNothingCheaperOnNodesDoes() {
		assertThat(chosen.expected().met()).isTrue();
		assertThat(chosen.expected().burstP95Ms()).isLessThan(SloVerdict.SLO_P95_MS);
		int chosenNodeVcpus = chosen.baselineNodes() * chosen.nodeVcpu();
		// nothing on fewer node vCPUs holds the burst, nor anything on as many with fewer requested cores
		assertThat(rows).filteredOn(r -> r.baselineNodes() * r.nodeVcpu() < chosenNodeVcpus
				|| r.baselineNodes() * r.nodeVcpu() == chosenNodeVcpus && r.requestedCores() < chosen.requestedCores())
				.noneMatch(BurstCost.Candidate::holdsTheBurst);
		// the prod values before this recalibration (9 pods at 35 %) are not the cheapest any more
		assertThat(rows).filteredOn(r -> r.instanceType().equals(chosen.instanceType()) && r.target() == 35)
				.allMatch(r -> r.requestedCores() < 9 * 0.5);
	}

	@Test
	void theCommittedReportShowsThisChoice() throws Exception {
		String report = Files.readString(ROOT.resolve("docs/scaling/burst-cost.md"));
		assertThat(report).as("docs/scaling/burst-cost.md is stale: rerun exec:java@burst-cost")
				.contains(String.format(Locale.ROOT, "after %.2f cores (%s)", chosen.requestedCores(), BurstCost.describe(chosen)));
	}
}
