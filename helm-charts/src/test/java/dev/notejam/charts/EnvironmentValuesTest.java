package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.Yaml;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The values files in environments/ and the charts' defaults name secrets but never hold one: no scalar under a
 * secret-looking key, no credential patterns, no plain-text key material.
 */
class EnvironmentValuesTest {

	private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|secret|token|credential|apikey|privatekey).*");

	/** Keys that name where a secret lives, never its value. */
	private static final Set<String> REFERENCE_KEYS = Set.of("existingSecret", "secretName", "keySecret", "name", "key",
			"property", "secretKey", "enabled");

	private static final Pattern CREDENTIAL = Pattern.compile(
			"AKIA[0-9A-Z]{16}|aws_secret_access_key|-----BEGIN [A-Z ]*PRIVATE KEY-----|://[^/\\s:@]+:[^/\\s@]+@");

	static List<Path> valuesFiles() throws IOException {
		List<Path> files = new ArrayList<>();
		for (ChartCase chartCase : ChartCase.all()) {
			Path file = chartCase.valuesFile() != null ? chartCase.valuesFile()
					: chartCase.chartDirectory().resolve("values.yaml");
			if (!files.contains(file)) {
				files.add(file);
			}
		}
		return files;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void holdsNoSecretValue(Path file) throws IOException {
		List<String> findings = new ArrayList<>();
		scan("", Yaml.loadMap(file), findings);

		assertThat(findings).as("secret-looking values in %s", file).isEmpty();
		assertThat(CREDENTIAL.matcher(Files.readString(file)).find()).as("credential pattern in %s", file).isFalse();
	}

	@SuppressWarnings("unchecked")
	private static void scan(String path, Map<String, Object> map, List<String> findings) {
		map.forEach((key, value) -> {
			String here = path.isEmpty() ? key : path + "." + key;
			if (value instanceof Map<?, ?> child) {
				scan(here, (Map<String, Object>) child, findings);
			}
			else if (value instanceof String text && !text.isEmpty() && SECRET_KEY.matcher(key).matches()
					&& !REFERENCE_KEYS.contains(key)) {
				findings.add(here);
			}
		});
	}
}
