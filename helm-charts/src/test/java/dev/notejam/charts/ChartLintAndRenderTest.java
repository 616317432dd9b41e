package dev.notejam.charts;

import com.marcnuri.helm.LintResult;
import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.HelmRunner;
import dev.notejam.charts.support.Manifests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every chart, with its defaults and with each environment's values: strict lint, render, strict model parsing.
 * Policy: every environment renders and validates (R6); every rendered object is a valid Kubernetes object.
 */
class ChartLintAndRenderTest {

	static List<ChartCase> cases() {
		return ChartCase.all();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void lintsWithoutWarningsInStrictMode(ChartCase chartCase) {
		LintResult result = HelmRunner.lintStrict(chartCase);

		assertThat(result.isFailed()).as("helm lint --strict %s: %s", chartCase, result.getMessages()).isFalse();
		assertThat(result.getMessages()).as("lint findings above INFO")
			.noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void rendersOnlyStrictlyValidKubernetesObjects(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);

		assertThat(manifests.all()).as("objects rendered for %s", chartCase).isNotEmpty();
		Set<String> names = new TreeSet<>();
		for (Manifests.Rendered object : manifests.all()) {
			assertThat(names.add(object.kind() + "/" + object.name())).as("duplicate object %s/%s", object.kind(),
					object.name()).isTrue();
			assertThat(object.metadata().getNamespace()).as("namespace of %s/%s", object.kind(), object.name())
				.isEqualTo(ChartCase.NAMESPACE);
			assertThat(object.name()).as("DNS-1123 name").matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThan(64);
			assertStringValues(object, "labels");
			assertStringValues(object, "annotations");
		}
	}

	/** The API server rejects a label or annotation that YAML typed as a number or boolean; Gson would coerce it. */
	@SuppressWarnings("unchecked")
	private static void assertStringValues(Manifests.Rendered object, String field) {
		Map<String, Object> metadata = (Map<String, Object>) object.raw().get("metadata");
		Object values = metadata.get(field);
		if (values instanceof Map<?, ?> map) {
			map.forEach((key, value) -> assertThat(value).as("%s %s of %s/%s must be a YAML string", field, key,
					object.kind(), object.name()).isInstanceOf(String.class));
		}
	}
}
