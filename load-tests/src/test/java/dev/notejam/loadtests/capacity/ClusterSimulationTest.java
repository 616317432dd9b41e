package dev.notejam.loadtests.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import dev.notejam.loadtests.hpa.ControllerSettings;
import dev.notejam.loadtests.hpa.HpaController;
import dev.notejam.loadtests.hpa.HpaSpec;
import dev.notejam.loadtests.traffic.TrafficShape;

/** Properties of the second-by-second cluster simulation that follow from hand calculation. */
class ClusterSimulationTest {

	// 10 ms CPU per request, 0.5 core request: one pod at the 60 % target serves 30 req/s
	private static final Measurements MEASURED = new Measurements("test", "test", 0.010, 0.0, 10, 50, 0.0, 20, 10, List.of());
	private static final DeploymentSpec DEPLOYMENT = new DeploymentSpec(0.5, OptionalDouble.empty(), 3,
			HpaSpec.withDefaultBehavior(3, 12, 60), 5, "test");

	private static List<ClusterSimulation.Second> run(TrafficShape shape, double baselineRps, ModelAssumptions assumptions) {
		return ClusterSimulation.run(new ClusterSimulation.Inputs(DEPLOYMENT, MEASURED, shape, baselineRps, assumptions,
				new HpaController(DEPLOYMENT.hpa(), ControllerSettings.kubernetesDefaults())));
	}

	@Test
	void typicalTrafficIsWhatTheTypicalReplicasServeAtTheTarget() {
		assertThat(CapacityModelApp.typicalRps(DEPLOYMENT, MEASURED)).isCloseTo(90.0, org.assertj.core.data.Offset.offset(1e-9));
	}

	@Test
	void steadyTrafficAtTheTargetKeepsTheReplicas() {
		TrafficShape flat = new TrafficShape("flat", List.of(new TrafficShape.Phase("flat", 600, 1, 1)));
		List<ClusterSimulation.Second> seconds = run(flat, 90, ModelAssumptions.warmNodes());
		assertThat(seconds).allSatisfy(s -> {
			assertThat(s.desiredReplicas()).isEqualTo(3);
			assertThat(s.utilizationPercentOfRequest()).isCloseTo(60.0, org.assertj.core.data.Offset.offset(1e-6));
		});
		// rho 0.6 against the request: p95 = 50 / (1 - 0.6) = 125 ms
		assertThat(seconds.get(100).p95Ms()).isCloseTo(125.0, org.assertj.core.data.Offset.offset(1e-6));
	}

	@Test
	void aFourfoldStepEndsAtFourTimesTheReplicasAndThenScalesBackDown() {
		TrafficShape step = new TrafficShape("step", List.of(new TrafficShape.Phase("base", 60, 1, 1),
				new TrafficShape.Phase("burst", 300, 4, 4), new TrafficShape.Phase("after", 900, 1, 1)));
		List<ClusterSimulation.Second> seconds = run(step, 90, ModelAssumptions.warmNodes());
		// 360 req/s at 30 req/s per pod at target = 12 pods, which is also maxReplicas
		assertThat(seconds.get(355).desiredReplicas()).isEqualTo(12);
		assertThat(seconds.get(355).readyReplicas()).isEqualTo(12);
		// a new pod is ready 5 + 10 + 5 s after it is created: nothing new is ready in the first 20 s of the burst
		assertThat(seconds.get(60 + 19).readyReplicas()).isEqualTo(3);
		// the 300 s scale-down window holds the replicas after the burst, then they go back to 3
		assertThat(seconds.get(360 + 200).desiredReplicas()).isEqualTo(12);
		assertThat(seconds.get(seconds.size() - 1).desiredReplicas()).isEqualTo(3);
	}

	@Test
	void podsThatDoNotFitWaitForNewNodes() {
		TrafficShape step = new TrafficShape("step", List.of(new TrafficShape.Phase("base", 60, 1, 1),
				new TrafficShape.Phase("burst", 300, 4, 4)));
		List<ClusterSimulation.Second> warm = run(step, 90, ModelAssumptions.warmNodes());
		List<ClusterSimulation.Second> cold = run(step, 90, ModelAssumptions.warmNodes().withNodeProvisioning(120, 3, 0));
		int warmReady = firstSecondWith(warm, 12);
		int coldReady = firstSecondWith(cold, 12);
		assertThat(coldReady - warmReady).isGreaterThanOrEqualTo(100);
		SloVerdict coldVerdict = SloVerdict.judge(cold, 60, 360);
		SloVerdict warmVerdict = SloVerdict.judge(warm, 60, 360);
		assertThat(coldVerdict.burstP95Ms()).isGreaterThan(warmVerdict.burstP95Ms());
	}

	@Test
	void mixtureP95OfIdenticalSecondsIsThatP95() {
		List<ClusterSimulation.Second> same = java.util.stream.IntStream.range(0, 10)
				.mapToObj(t -> new ClusterSimulation.Second(t, 100, 3, 3, 0, 60, 60, 200, 0, 0)).toList();
		assertThat(SloVerdict.mixtureP95(same)).isCloseTo(200.0, org.assertj.core.data.Offset.offset(0.01));
	}

	private static int firstSecondWith(List<ClusterSimulation.Second> seconds, int ready) {
		return seconds.stream().filter(s -> s.readyReplicas() >= ready).mapToInt(ClusterSimulation.Second::t).findFirst().orElse(-1);
	}
}
