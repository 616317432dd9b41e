package dev.notejam.loadtests.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.notejam.loadtests.hpa.ScalingPolicy;
import dev.notejam.loadtests.hpa.ScalingRules;

/** Renders the real app chart with the prod values through helm-java and checks what the model reads. */
class ChartRendererTest {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
	private static final Path CHART = ROOT.resolve("helm-charts/charts/notejam");
	private static final Path PROD_VALUES = ROOT.resolve("environments/prod/notejam.values.yaml");

	@Test
	void readsTheProdHpaAndResourcesFromTheRenderedChart() throws Exception {
		DeploymentSpec spec = ChartRenderer.render(CHART, PROD_VALUES);
		JsonNode values = new YAMLMapper().readTree(Files.readString(PROD_VALUES));
		JsonNode autoscaling = values.path("autoscaling");

		// what the values file asks for must come out of the rendered HorizontalPodAutoscaler
		assertThat(spec.hpa().minReplicas()).isEqualTo(autoscaling.path("minReplicas").asInt());
		assertThat(spec.hpa().maxReplicas()).isEqualTo(autoscaling.path("maxReplicas").asInt());
		assertThat(spec.hpa().targetCpuUtilizationPercent()).isEqualTo(autoscaling.path("targetCPUUtilizationPercentage").asInt());
		assertThat(spec.hpa().scaleDown().stabilizationWindowSeconds())
				.isEqualTo(autoscaling.path("behavior").path("scaleDown").path("stabilizationWindowSeconds").asInt());
		assertThat(spec.hpa().scaleUp().policies()).hasSize(autoscaling.path("behavior").path("scaleUp").path("policies").size());
		assertThat(spec.cpuRequestCores()).isEqualTo(ChartRenderer.cpuCores(values.path("resources").path("cpu")).orElseThrow());
		// the app pods use HPA replicas, so the typical count is minReplicas; probes add detection delay
		assertThat(spec.typicalReplicas()).isEqualTo(spec.hpa().minReplicas());
		assertThat(spec.probeDelaySeconds()).isPositive();
	}

	@Test
	void fillsInKubernetesDefaultsForAbsentBehaviorFields() throws Exception {
		String manifests = """
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: web}
				spec:
				  template:
				    spec:
				      containers:
				        - name: app
				          resources: {requests: {cpu: 250m}, limits: {cpu: "1"}}
				---
				apiVersion: autoscaling/v2
				kind: HorizontalPodAutoscaler
				metadata: {name: web}
				spec:
				  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
				  minReplicas: 2
				  maxReplicas: 10
				  metrics:
				    - type: Resource
				      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
				  behavior:
				    scaleDown:
				      policies: [{type: Pods, value: 1, periodSeconds: 60}]
				""";
		DeploymentSpec spec = ChartRenderer.fromManifests(manifests, "inline");
		assertThat(spec.cpuRequestCores()).isEqualTo(0.25);
		assertThat(spec.cpuLimitCores()).hasValue(1.0);
		assertThat(spec.hpa().scaleUp()).isEqualTo(ScalingRules.defaultScaleUp());
		assertThat(spec.hpa().scaleDown().stabilizationWindowSeconds()).isEqualTo(300);
		assertThat(spec.hpa().scaleDown().policies()).containsExactly(ScalingPolicy.pods(1, 60));
	}
}
