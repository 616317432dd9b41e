package dev.notejam.loadtests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * The recorder against fabric8's Kubernetes mock server (CRUD mode): no real API server can run on this machine, so
 * this is the one place where the Kubernetes API is a mock.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterRecorderKubernetesMockServerTest {

	KubernetesMockServer server;
	KubernetesClient client;

	@BeforeEach
	void createDeploymentAndHpa() {
		client.apps().deployments().inNamespace("notejam").resource(deployment(3, 3)).create();
		client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("notejam").resource(hpa(3, 3, 55)).create();
	}

	@Test
	void samplesTheDeploymentAndTheHpaStatus() {
		ClusterRecorder recorder = new ClusterRecorder(client, "notejam", "notejam", "notejam");

		ClusterRecorder.Sample before = recorder.sample();
		assertThat(before.specReplicas()).isEqualTo(3);
		assertThat(before.readyReplicas()).isEqualTo(3);
		assertThat(before.hpaDesiredReplicas()).isEqualTo(3);
		assertThat(before.cpuUtilizationPercent()).isEqualTo(55);
		assertThat(before.cpuTargetPercent()).isEqualTo(60);

		// the burst: the HPA asks for 7, two new pods are ready so far
		client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("notejam").resource(hpa(3, 7, 140)).update();
		client.apps().deployments().inNamespace("notejam").resource(deployment(7, 5)).update();

		ClusterRecorder.Sample during = recorder.sample();
		assertThat(during.specReplicas()).isEqualTo(7);
		assertThat(during.readyReplicas()).isEqualTo(5);
		assertThat(during.hpaCurrentReplicas()).isEqualTo(3);
		assertThat(during.hpaDesiredReplicas()).isEqualTo(7);
		assertThat(during.cpuUtilizationPercent()).isEqualTo(140);
	}

	@Test
	void recordsForABoundedTimeAndWritesCsvAndChart(@TempDir Path dir) throws Exception {
		ClusterRecorder recorder = new ClusterRecorder(client, "notejam", "notejam", "notejam");
		List<ClusterRecorder.Sample> seen = new ArrayList<>();
		long started = System.nanoTime();
		List<ClusterRecorder.Sample> samples = recorder.record(Duration.ofSeconds(2), Duration.ofMillis(250), sample -> {
			seen.add(sample);
			if (seen.size() == 2) {
				client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("notejam").withName("notejam")
						.edit(h -> hpa(3, 6, 120));
			}
		});
		// bounded by the duration (plus one slow call at most on a busy machine)
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(samples).hasSizeGreaterThanOrEqualTo(3).hasSizeLessThanOrEqualTo(9).isEqualTo(seen);
		assertThat(samples.get(0).hpaDesiredReplicas()).isEqualTo(3);
		assertThat(samples.get(samples.size() - 1).hpaDesiredReplicas()).isEqualTo(6);

		Path csv = dir.resolve("cluster.csv");
		ClusterRecorder.writeCsv(csv, samples);
		List<String> lines = Files.readAllLines(csv);
		assertThat(lines).hasSize(samples.size() + 1);
		assertThat(lines.get(0)).startsWith("seconds,spec_replicas");
		assertThat(lines.get(lines.size() - 1)).endsWith(",3,6,120,60");

		Path png = dir.resolve("cluster.png");
		ClusterRecorder.chart(png, "recorded burst", samples);
		BufferedImage image = ImageIO.read(png.toFile());
		assertThat(image.getWidth()).isEqualTo(1100);
	}

	@Test
	void reportsMissingObjectsAsMinusOne() {
		ClusterRecorder.Sample sample = new ClusterRecorder(client, "notejam", "absent", "absent").sample();
		assertThat(sample.specReplicas()).isEqualTo(-1);
		assertThat(sample.hpaDesiredReplicas()).isEqualTo(-1);
	}

	private static Deployment deployment(int replicas, int ready) {
		return new DeploymentBuilder()
				.withNewMetadata().withName("notejam").withNamespace("notejam").endMetadata()
				.withNewSpec().withReplicas(replicas).endSpec()
				.withNewStatus().withReplicas(replicas).withReadyReplicas(ready).endStatus()
				.build();
	}

	private static HorizontalPodAutoscaler hpa(int current, int desired, int utilization) {
		return new HorizontalPodAutoscalerBuilder()
				.withNewMetadata().withName("notejam").withNamespace("notejam").endMetadata()
				.withNewSpec().withMinReplicas(3).withMaxReplicas(12)
				.withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("notejam").endScaleTargetRef()
				.addNewMetric().withType("Resource").withNewResource().withName("cpu")
				.withNewTarget().withType("Utilization").withAverageUtilization(60).endTarget().endResource().endMetric()
				.endSpec()
				.withNewStatus().withCurrentReplicas(current).withDesiredReplicas(desired)
				.addNewCurrentMetric().withType("Resource").withNewResource().withName("cpu")
				.withNewCurrent().withAverageUtilization(utilization).endCurrent().endResource().endCurrentMetric()
				.endStatus()
				.build();
	}
}
