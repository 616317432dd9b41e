package dev.notejam.loadtests.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import dev.notejam.loadtests.capacity.ChartRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prod-dr's stand-by (R4, issue 18): while its database is a read replica of prod (platform.tfvars), the chart rendered
 * with prod-dr's values runs no pod and no HPA, and its values turn off the migration Job and the helm test; {@code dr-failover.sh --step mark-promoted} turns
 * both files to the active shape in one go, after which prod-dr renders prod's HPA. Rendered by the real Helm engine
 * (helm-java); the Terraform side of the stand-by is asserted by infra-terraform's database tests.
 */
class StandbyModeTest {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
	private static final Path CHART = ROOT.resolve("helm-charts/charts/notejam");

	private static List<JsonNode> render(Path values) throws IOException {
		String manifests = new Helm(CHART).template().withName("notejam").withNamespace("notejam")
				.withKubeVersion(ChartRenderer.KUBE_VERSION).withValuesFile(values).call();
		List<JsonNode> documents = new ArrayList<>();
		try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(manifests)) {
			while (it.hasNext()) {
				JsonNode document = it.next();
				if (document != null && document.isObject()) {
					documents.add(document);
				}
			}
		}
		return documents;
	}

	private static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
		return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
	}

	@Test
	void whileTheDatabaseReplicatesProdDrRunsNoPodNoMigrationAndNoTest() throws IOException {
		String tfvars = Files.readString(ROOT.resolve("environments/prod-dr/platform.tfvars"));
		assertThat(tfvars).containsPattern("standby_of\\s*=\\s*\"prod\"").containsPattern("standby_promoted\\s*=\\s*false");

		List<JsonNode> standBy = render(ROOT.resolve("environments/prod-dr/notejam.values.yaml"));
		assertThat(ofKind(standBy, "Deployment")).singleElement().satisfies(d -> assertThat(d.path("spec").path("replicas").asInt(-1)).isZero());
		assertThat(ofKind(standBy, "HorizontalPodAutoscaler")).as("no HPA: it would scale a stand-by up").isEmpty();
		// helm-java renders the release's manifests without its hooks, so the two hooks are checked on the values and on
		// the templates that they gate.
		JsonNode values = new YAMLMapper().readTree(ROOT.resolve("environments/prod-dr/notejam.values.yaml").toFile());
		assertThat(values.path("migration").path("enabled").asBoolean(true)).as("no migration Job against a read replica").isFalse();
		assertThat(values.path("tests").path("enabled").asBoolean(true)).as("no helm test pod: there is nothing to test").isFalse();
		assertThat(Files.readString(CHART.resolve("templates/migration-job.yaml"))).startsWith("{{- if .Values.migration.enabled }}");
		assertThat(Files.readString(CHART.resolve("templates/tests/test-connection.yaml"))).startsWith("{{- if .Values.tests.enabled }}");
	}

	@Test
	void markPromotedTurnsDatabaseAndAppActiveTogetherWithProdsCapacity(@TempDir Path copy) throws Exception {
		for (String dir : List.of("ci/scripts", "environments/prod", "environments/prod-dr")) {
			copyTree(ROOT.resolve(dir), copy.resolve(dir));
		}
		Process process = new ProcessBuilder("bash", "ci/scripts/dr-failover.sh", "--step", "mark-promoted").directory(copy.toFile())
				.redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();

		assertThat(Files.readString(copy.resolve("environments/prod-dr/platform.tfvars"))).containsPattern("standby_promoted\\s*=\\s*true");
		String values = Files.readString(copy.resolve("environments/prod-dr/notejam.values.yaml"));
		assertThat(values).doesNotContain("STAND-BY\n").doesNotContain("replicaCount: 0");

		List<JsonNode> promoted = render(copy.resolve("environments/prod-dr/notejam.values.yaml"));
		List<JsonNode> prod = render(ROOT.resolve("environments/prod/notejam.values.yaml"));
		JsonNode drHpa = ofKind(promoted, "HorizontalPodAutoscaler").get(0).path("spec");
		JsonNode prodHpa = ofKind(prod, "HorizontalPodAutoscaler").get(0).path("spec");
		assertThat(drHpa.path("minReplicas").asInt()).isEqualTo(prodHpa.path("minReplicas").asInt()).isPositive();
		assertThat(drHpa.path("maxReplicas").asInt()).isEqualTo(prodHpa.path("maxReplicas").asInt());
		JsonNode promotedValues = new YAMLMapper().readTree(copy.resolve("environments/prod-dr/notejam.values.yaml").toFile());
		assertThat(promotedValues.path("migration").path("enabled").asBoolean()).as("migrations run again once the database is writable").isTrue();
		assertThat(promotedValues.path("tests").path("enabled").asBoolean()).isTrue();
		assertThat(ofKind(promoted, "Deployment").get(0).path("spec").has("replicas")).as("the HPA owns the count").isFalse();
	}

	@Test
	void markStandbyUndoesMarkPromotedLineForLine(@TempDir Path copy) throws Exception {
		// the failback's return to stand-by (docs/runbooks/failback-to-prod.md) restores both files exactly
		for (String dir : List.of("ci/scripts", "environments/prod", "environments/prod-dr")) {
			copyTree(ROOT.resolve(dir), copy.resolve(dir));
		}
		for (String step : List.of("mark-promoted", "mark-standby", "mark-standby")) {
			Process process = new ProcessBuilder("bash", "ci/scripts/dr-failover.sh", "--step", step).directory(copy.toFile())
					.redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as("%s: %s", step, output).isZero();
		}
		// twice: the second mark-standby changes nothing
		for (String file : List.of("environments/prod-dr/platform.tfvars", "environments/prod-dr/notejam.values.yaml")) {
			assertThat(Files.readString(copy.resolve(file))).as(file).isEqualTo(Files.readString(ROOT.resolve(file)));
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
				Path target = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(p, target);
				}
			}
		}
	}
}
