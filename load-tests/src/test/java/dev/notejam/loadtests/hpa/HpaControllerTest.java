package dev.notejam.loadtests.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed examples from the Kubernetes documentation on horizontal pod autoscaling ("Algorithm details",
 * "Configurable scaling behavior", "Default behavior") and the v1.33 configurable-tolerance blog post.
 */
class HpaControllerTest {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private static HpaController controller(HpaSpec spec) {
		return new HpaController(spec, ControllerSettings.kubernetesDefaults());
	}

	private static List<PodSample> pods(int count, double utilizationPercent) {
		return IntStream.range(0, count).mapToObj(i -> PodSample.ready("pod-" + i, utilizationPercent)).toList();
	}

	@Nested
	@DisplayName("algorithm: desired = ceil(current * current metric / desired metric)")
	class Algorithm {

		@Test
		void doublesReplicasWhenTheMetricIsTwiceTheTarget() {
			// docs: current 200m, desired 100m -> replicas doubled
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 100));
			assertThat(hpa.reconcile(T0, 3, pods(3, 200)).desiredReplicas()).isEqualTo(6);
		}

		@Test
		void halvesReplicasWhenTheMetricIsHalfTheTarget() {
			// docs: current 50m, desired 100m -> replicas halved (no earlier recommendation holds it up)
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 100));
			assertThat(hpa.reconcile(T0, 6, pods(6, 50)).desiredReplicas()).isEqualTo(3);
		}

		@Test
		void scalesFiftyReplicasAtNinetyPercentAgainstSeventyFiveToSixty() {
			// v1.33 tolerance blog: 50 replicas, 90 % utilisation, target 75 % -> 50 * 90 / 75 = 60
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 200, 75));
			HpaController.Decision decision = hpa.reconcile(T0, 50, pods(50, 90));
			assertThat(decision.rawRecommendation()).isEqualTo(60);
			assertThat(decision.desiredReplicas()).isEqualTo(60);
		}

		@Test
		void ignoresChangesWithinTheTenPercentTolerance() {
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 50));
			// ratio 1.08 and 0.92: within 0.1 -> keep 10
			assertThat(hpa.reconcile(T0, 10, pods(10, 54)).desiredReplicas()).isEqualTo(10);
			assertThat(hpa.reconcile(T0.plusSeconds(15), 10, pods(10, 46)).desiredReplicas()).isEqualTo(10);
			// ratio 1.12: outside -> ceil(11.2) = 12
			assertThat(hpa.reconcile(T0.plusSeconds(30), 10, pods(10, 56)).desiredReplicas()).isEqualTo(12);
		}

		@Test
		void clampsToMaxReplicas() {
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(2, 5, 50));
			assertThat(hpa.reconcile(T0, 4, pods(4, 100)).desiredReplicas()).isEqualTo(5);
		}
	}

	@Nested
	@DisplayName("pods not yet ready and pods without metrics")
	class UnreadyAndMissing {

		@Test
		void unreadyPodsCountAsZeroWhenScalingUpAndCanCancelIt() {
			// 3 ready pods at 80 % of a 50 % target: ratio 1.6; with 3 unready pods at 0 %: 240 / 6 / 50 = 0.8,
			// the direction reverses, so the controller keeps 6 replicas
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 50));
			List<PodSample> samples = new ArrayList<>(pods(3, 80));
			IntStream.range(0, 3).forEach(i -> samples.add(PodSample.unready("new-" + i)));
			assertThat(hpa.reconcile(T0, 6, samples).desiredReplicas()).isEqualTo(6);
		}

		@Test
		void unreadyPodsDampenAScaleUp() {
			// 4 ready pods at 150 % of 50 %: ratio 3; with 4 unready pods at 0 %: 600 / 8 / 50 = 1.5 -> ceil(1.5 * 8) = 12
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 50));
			List<PodSample> samples = new ArrayList<>(pods(4, 150));
			IntStream.range(0, 4).forEach(i -> samples.add(PodSample.unready("new-" + i)));
			HpaController.Decision decision = hpa.reconcile(T0, 8, samples);
			assertThat(decision.rawRecommendation()).isEqualTo(12);
		}

		@Test
		void podsWithoutMetricsCountAsHundredPercentWhenScalingDown() {
			// 4 pods at 20 % of a 50 % target (ratio 0.4) and 1 without metrics -> (80 + 100) / 5 / 50 = 0.72 -> ceil(3.6) = 4
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 50));
			List<PodSample> samples = new ArrayList<>(pods(4, 20));
			samples.add(PodSample.missingMetrics("no-metrics"));
			assertThat(hpa.reconcile(T0, 5, samples).desiredReplicas()).isEqualTo(4);
		}

		@Test
		void podsWithoutMetricsCountAsZeroWhenScalingUp() {
			// 2 pods at 100 % of 50 % (ratio 2) and 2 without metrics at 0 %: 200 / 4 / 50 = 1.0 -> within tolerance
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 50));
			List<PodSample> samples = new ArrayList<>(pods(2, 100));
			samples.add(PodSample.missingMetrics("a"));
			samples.add(PodSample.missingMetrics("b"));
			assertThat(hpa.reconcile(T0, 4, samples).desiredReplicas()).isEqualTo(4);
		}

		@Test
		void readinessRuleSetsAsideSamplesThatOverlapStartUp() {
			ReadinessRule rule = new ReadinessRule(ControllerSettings.kubernetesDefaults());
			Instant started = T0;
			Instant readyAt = T0.plusSeconds(20);
			Duration window = Duration.ofSeconds(15);
			// ready for 10 s only: the 15 s sample still includes start-up CPU
			assertThat(rule.countsAsReady(T0.plusSeconds(30), started, true, readyAt, T0.plusSeconds(30), window)).isFalse();
			// a full window after readiness
			assertThat(rule.countsAsReady(T0.plusSeconds(40), started, true, readyAt, T0.plusSeconds(35), window)).isTrue();
			// not ready inside the CPU initialisation period
			assertThat(rule.countsAsReady(T0.plusSeconds(60), started, false, readyAt, T0.plusSeconds(60), window)).isFalse();
			// after 5 minutes: unready only if it never became ready within the 30 s initial readiness delay
			assertThat(rule.countsAsReady(T0.plusSeconds(400), started, false, T0.plusSeconds(10), T0.plusSeconds(400), window)).isFalse();
			assertThat(rule.countsAsReady(T0.plusSeconds(400), started, false, T0.plusSeconds(300), T0.plusSeconds(400), window)).isTrue();
		}
	}

	@Nested
	@DisplayName("behavior: policies and stabilisation windows")
	class Behavior {

		@Test
		void defaultScaleUpDoublesOrAddsFourPodsEveryFifteenSeconds() {
			// default scaleUp: max(100 %, 4 pods) per 15 s -> 1 -> 5 -> 10 -> 20
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 50));
			int replicas = 1;
			List<Integer> seen = new ArrayList<>();
			for (int sync = 0; sync < 4; sync++) {
				replicas = hpa.reconcile(T0.plusSeconds(15L * sync), replicas, pods(replicas, 50.0 * 40 / replicas)).desiredReplicas();
				seen.add(replicas);
			}
			// overload is 40 pods' worth; the policies cap each step
			assertThat(seen).containsExactly(5, 10, 20, 40);
		}

		@Test
		void docsScaleDownExampleWithPodsAndPercentPolicies() {
			// docs: policies Pods 4 / 60 s and Percent 10 / 60 s, 80 replicas, far more than needed:
			// first step removes 8 (10 % of 80 beats 4 pods); at 72, 10 % is 7.2 and the reduction is 8 again (72 -> 64);
			// below 40 replicas the Pods policy removes more than 10 %.
			ScalingRules down = new ScalingRules(0, ScalingRules.SelectPolicy.MAX,
					List.of(ScalingPolicy.pods(4, 60), ScalingPolicy.percent(10, 60)));
			HpaSpec spec = new HpaSpec(1, 100, 50, ScalingRules.defaultScaleUp(), down);
			HpaController hpa = controller(spec);
			int replicas = 80;
			List<Integer> afterEachMinute = new ArrayList<>();
			for (int sync = 0; sync <= 4 * 10; sync++) {
				Instant now = T0.plusSeconds(15L * sync);
				// 5 % against 50 %: the raw recommendation stays far below what the policies allow
				replicas = hpa.reconcile(now, replicas, pods(replicas, 5)).desiredReplicas();
				if (sync % 4 == 0) {
					afterEachMinute.add(replicas);
				}
			}
			// 80*0.9=72, 72*0.9=64.8->64, 57.6->57, 51.3->51, 45.9->45, 40.5->40, 36 (both), 32.4->32 vs 32,
			// 28.8->28 vs 28, 25.2->25 vs 24 (Pods wins), 20
			assertThat(afterEachMinute).containsExactly(72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20);
		}

		@Test
		void percentPolicyBlocksFurtherChangesInsideItsPeriod() {
			ScalingRules down = new ScalingRules(0, ScalingRules.SelectPolicy.MAX, List.of(ScalingPolicy.percent(10, 60)));
			HpaController hpa = controller(new HpaSpec(1, 100, 50, ScalingRules.defaultScaleUp(), down));
			assertThat(hpa.reconcile(T0, 80, pods(80, 5)).desiredReplicas()).isEqualTo(72);
			// 15 s and 45 s later the 8 removed pods still count against the period
			assertThat(hpa.reconcile(T0.plusSeconds(15), 72, pods(72, 5)).desiredReplicas()).isEqualTo(72);
			assertThat(hpa.reconcile(T0.plusSeconds(45), 72, pods(72, 5)).desiredReplicas()).isEqualTo(72);
			assertThat(hpa.reconcile(T0.plusSeconds(60), 72, pods(72, 5)).desiredReplicas()).isEqualTo(64);
		}

		@Test
		void minSelectPolicyPicksTheSmallestChange() {
			ScalingRules down = new ScalingRules(0, ScalingRules.SelectPolicy.MIN,
					List.of(ScalingPolicy.pods(4, 60), ScalingPolicy.percent(10, 60)));
			HpaController hpa = controller(new HpaSpec(1, 100, 50, ScalingRules.defaultScaleUp(), down));
			assertThat(hpa.reconcile(T0, 80, pods(80, 5)).desiredReplicas()).isEqualTo(76);
		}

		@Test
		void disabledScaleDownNeverRemovesPods() {
			ScalingRules down = new ScalingRules(0, ScalingRules.SelectPolicy.DISABLED, List.of());
			HpaController hpa = controller(new HpaSpec(1, 100, 50, ScalingRules.defaultScaleUp(), down));
			assertThat(hpa.reconcile(T0, 10, pods(10, 5)).desiredReplicas()).isEqualTo(10);
		}

		@Test
		void scaleDownStabilisationWindowUsesTheHighestRecommendationOfTheLastFiveMinutes() {
			// default scaleDown window 300 s: load asks for 10 replicas until t=60 s, then for 2.
			HpaController hpa = controller(HpaSpec.withDefaultBehavior(1, 100, 50));
			int replicas = 10;
			Integer firstScaleDownAt = null;
			for (int t = 0; t <= 600; t += 15) {
				double utilization = t <= 60 ? 50 : 10;
				int next = hpa.reconcile(T0.plusSeconds(t), replicas, pods(replicas, utilization)).desiredReplicas();
				if (next < replicas && firstScaleDownAt == null) {
					firstScaleDownAt = t;
					// the default 100 % / 15 s policy lets it drop straight to the recommendation
					assertThat(next).isEqualTo(2);
				}
				replicas = next;
			}
			// the recommendation of 10 made at t=60 leaves the window when now - 300 is no longer before it: t=360
			assertThat(firstScaleDownAt).isEqualTo(360);
			assertThat(replicas).isEqualTo(2);
		}

		@Test
		void scaleUpStabilisationWindowUsesTheLowestRecommendation() {
			ScalingRules up = new ScalingRules(60, ScalingRules.SelectPolicy.MAX, List.of(ScalingPolicy.percent(100, 15)));
			HpaController hpa = controller(new HpaSpec(1, 100, 50, up, ScalingRules.defaultScaleDown()));
			// t=0 at target (recommends 4); t=15 asks for 8: the window still holds the 4
			assertThat(hpa.reconcile(T0, 4, pods(4, 50)).desiredReplicas()).isEqualTo(4);
			assertThat(hpa.reconcile(T0.plusSeconds(15), 4, pods(4, 100)).desiredReplicas()).isEqualTo(4);
			// at t=60 the t=0 recommendation is out of the window, the lowest left is 8
			assertThat(hpa.reconcile(T0.plusSeconds(60), 4, pods(4, 100)).desiredReplicas()).isEqualTo(8);
		}
	}
}
