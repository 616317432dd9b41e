package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.HelmRunner;
import dev.notejam.charts.support.Manifests;
import dev.notejam.charts.support.StrictKubernetesParser;
import dev.notejam.charts.support.Yaml;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that the model parsing used by every chart test is strict, on real rendered prod manifests with one defect
 * injected each: a typo'd field, a missing required field, a duplicate key, a kind without a model, a typo in a
 * custom resource. Without this, "parses fine" could mean "ignored silently".
 */
class StrictModelParsingTest {

	private static final ChartCase PROD = new ChartCase("notejam", "prod");

	@Test
	void unknownFieldInADeploymentIsRejectedWithItsName() {
		String yaml = HelmRunner.render(PROD).replace("imagePullPolicy:", "imagePullPolcy:");

		assertThatThrownBy(() -> Manifests.parse(PROD, yaml)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("Deployment notejam")
			.hasMessageContaining("`imagePullPolcy`")
			.hasMessageContaining("V1Container");
	}

	@Test
	void missingRequiredFieldIsRejected() {
		Map<String, Object> deployment = document("Deployment");
		container(deployment).remove("name");

		assertThatThrownBy(() -> StrictKubernetesParser.parse(deployment)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("required field `name`");
	}

	@Test
	void duplicateKeysAreRejected() {
		String yaml = """
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: twice
				  name: again
				""";

		assertThatThrownBy(() -> Yaml.loadAll(yaml)).hasMessageContaining("duplicate key");
	}

	@Test
	void kindWithoutAStrictModelIsRejected() {
		Map<String, Object> unknownKind = Map.of("apiVersion", "example.com/v1", "kind", "Widget", "metadata",
				Map.of("name", "w"));

		assertThatThrownBy(() -> StrictKubernetesParser.parse(unknownKind)).hasMessageContaining("No strict model");
	}

	@Test
	void unknownFieldInACustomResourceIsRejected() {
		String yaml = HelmRunner.render(PROD).replace("refreshInterval:", "refreshIntervall:");

		assertThatThrownBy(() -> Manifests.parse(PROD, yaml)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("ExternalSecret")
			.hasMessageContaining("`spec.refreshIntervall`");
	}

	@Test
	void missingRequiredFieldInACustomResourceIsRejected() {
		Map<String, Object> externalSecret = document("ExternalSecret");
		spec(externalSecret).remove("secretStoreRef");

		assertThatThrownBy(() -> StrictKubernetesParser.parse(externalSecret))
			.hasMessageContaining("spec.secretStoreRef");
	}

	private static Map<String, Object> document(String kind) {
		return Yaml.loadAll(HelmRunner.render(PROD))
			.stream()
			.filter(d -> kind.equals(d.get("kind")))
			.findFirst()
			.orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> spec(Map<String, Object> document) {
		return (Map<String, Object>) document.get("spec");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> container(Map<String, Object> deployment) {
		Map<String, Object> template = (Map<String, Object>) spec(deployment).get("template");
		Map<String, Object> podSpec = (Map<String, Object>) template.get("spec");
		return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
	}
}
