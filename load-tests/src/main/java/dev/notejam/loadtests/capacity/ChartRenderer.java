package dev.notejam.loadtests.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;

import dev.notejam.loadtests.hpa.HpaSpec;
import dev.notejam.loadtests.hpa.ScalingPolicy;
import dev.notejam.loadtests.hpa.ScalingRules;

/**
 * Renders the app chart with an environment's values through the real Helm engine (helm-java bundles Helm as a
 * native library) and reads the Deployment and HorizontalPodAutoscaler that come out.
 */
public final class ChartRenderer {

	private static final YAMLMapper YAML = new YAMLMapper();

	/** Kubernetes version the chart is rendered for (EKS; the chart's kubeVersion asks for >= 1.30). */
	public static final String KUBE_VERSION = "1.31.0";

	private ChartRenderer() {
	}

	/** {@code helm template notejam <chart> -f <values>}, then the parts the model needs. */
	public static DeploymentSpec render(Path chartDirectory, Path valuesFile) throws IOException {
		if (!Files.isRegularFile(chartDirectory.resolve("Chart.yaml"))) {
			throw new IOException("no chart at " + chartDirectory);
		}
		if (!Files.isRegularFile(valuesFile)) {
			throw new IOException("no values file at " + valuesFile);
		}
		String manifests = new Helm(chartDirectory).template()
				.withName("notejam")
				.withNamespace("notejam")
				.withKubeVersion(KUBE_VERSION)
				.withValuesFile(valuesFile)
				.call();
		return fromManifests(manifests, "helm template " + chartDirectory.getFileName() + " -f " + valuesFile);
	}

	/**
	 * CPU requests (cores) of the first CronJob's pod of a chart rendered with a values file: the backup job, which
	 * CapacityTest counts among the system pods.
	 */
	public static double firstCronJobCpuCores(Path chartDirectory, Path valuesFile) throws IOException {
		String manifests = new Helm(chartDirectory).template()
				.withName(chartDirectory.getFileName().toString())
				.withNamespace("notejam")
				.withKubeVersion(KUBE_VERSION)
				.withValuesFile(valuesFile)
				.call();
		try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(manifests)) {
			while (iterator.hasNext()) {
				JsonNode document = iterator.next();
				if (document != null && "CronJob".equals(document.path("kind").asText())) {
					double cores = 0;
					for (JsonNode container : document.path("spec").path("jobTemplate").path("spec").path("template")
							.path("spec").path("containers")) {
						cores += cpuCores(container.path("resources").path("requests").path("cpu")).orElse(0.0);
					}
					return cores;
				}
			}
		}
		throw new IOException("no CronJob rendered from " + chartDirectory);
	}

	/** Reads the Deployment scaled by the first CPU-utilisation HPA of a multi-document manifest stream. */
	public static DeploymentSpec fromManifests(String manifests, String source) throws IOException {
		List<JsonNode> documents = new ArrayList<>();
		try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(manifests)) {
			while (iterator.hasNext()) {
				JsonNode document = iterator.next();
				if (document != null && document.isObject()) {
					documents.add(document);
				}
			}
		}
		JsonNode hpa = documents.stream()
				.filter(d -> "HorizontalPodAutoscaler".equals(d.path("kind").asText()))
				.findFirst()
				.orElseThrow(() -> new IOException("the rendered chart has no HorizontalPodAutoscaler (autoscaling disabled?)"));
		String targetName = hpa.path("spec").path("scaleTargetRef").path("name").asText();
		JsonNode deployment = documents.stream()
				.filter(d -> "Deployment".equals(d.path("kind").asText()))
				.filter(d -> targetName.equals(d.path("metadata").path("name").asText()))
				.findFirst()
				.orElseThrow(() -> new IOException("no Deployment named " + targetName + " (the HPA's scaleTargetRef)"));
		JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").path(0);
		if (container.isMissingNode()) {
			throw new IOException("Deployment " + targetName + " has no container");
		}
		double request = cpuCores(container.path("resources").path("requests").path("cpu"))
				.orElseThrow(() -> new IOException("container " + container.path("name").asText() + " has no CPU request"));
		OptionalDouble limit = cpuCores(container.path("resources").path("limits").path("cpu"))
				.map(OptionalDouble::of).orElse(OptionalDouble.empty());
		JsonNode hpaSpec = hpa.path("spec");
		int minReplicas = hpaSpec.path("minReplicas").asInt(1);
		int typical = deployment.path("spec").has("replicas") ? deployment.path("spec").path("replicas").asInt() : minReplicas;
		HpaSpec spec = new HpaSpec(minReplicas, hpaSpec.path("maxReplicas").asInt(), cpuTarget(hpaSpec),
				rules(hpaSpec.path("behavior").path("scaleUp"), ScalingRules.defaultScaleUp()),
				rules(hpaSpec.path("behavior").path("scaleDown"), ScalingRules.defaultScaleDown()));
		double probeDelay = container.path("startupProbe").path("periodSeconds").asDouble(0) / 2
				+ container.path("readinessProbe").path("periodSeconds").asDouble(10) / 2;
		return new DeploymentSpec(request, limit, typical, spec, probeDelay, source);
	}

	private static int cpuTarget(JsonNode hpaSpec) throws IOException {
		for (JsonNode metric : hpaSpec.path("metrics")) {
			JsonNode resource = metric.path("resource");
			if ("Resource".equals(metric.path("type").asText()) && "cpu".equals(resource.path("name").asText())
					&& "Utilization".equals(resource.path("target").path("type").asText())) {
				return resource.path("target").path("averageUtilization").asInt();
			}
		}
		throw new IOException("the HPA has no CPU Utilization metric; the model simulates CPU-based scaling only");
	}

	/** Kubernetes fills in each missing field of scaleUp/scaleDown with the default of that direction. */
	static ScalingRules rules(JsonNode node, ScalingRules defaults) {
		if (node.isMissingNode() || node.isNull()) {
			return defaults;
		}
		int window = node.has("stabilizationWindowSeconds") ? node.path("stabilizationWindowSeconds").asInt()
				: defaults.stabilizationWindowSeconds();
		ScalingRules.SelectPolicy select = node.has("selectPolicy")
				? ScalingRules.SelectPolicy.parse(node.path("selectPolicy").asText()) : defaults.selectPolicy();
		List<ScalingPolicy> policies = new ArrayList<>();
		for (JsonNode policy : node.path("policies")) {
			policies.add(new ScalingPolicy(ScalingPolicy.Type.parse(policy.path("type").asText()),
					policy.path("value").asInt(), policy.path("periodSeconds").asInt()));
		}
		return new ScalingRules(window, select, policies.isEmpty() ? defaults.policies() : policies);
	}

	/** Kubernetes CPU quantity: "500m", "1", "1.5", "2000m". */
	static Optional<Double> cpuCores(JsonNode quantity) {
		if (quantity.isMissingNode() || quantity.isNull() || quantity.asText().isBlank()) {
			return Optional.empty();
		}
		String text = quantity.asText().trim();
		if (text.endsWith("m")) {
			return Optional.of(Double.parseDouble(text.substring(0, text.length() - 1)) / 1000.0);
		}
		return Optional.of(Double.parseDouble(text));
	}
}
