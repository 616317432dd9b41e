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

	/** Values files deploy.sh passes from the stack's output helm_values: scanned for secrets like the others. */
	static List<Path> terraformValuesFiles() {
		return ChartCase.all().stream().map(ChartCase::terraformValuesFile).filter(f -> f != null).toList();
	}

	/** What names infrastructure: ARNs, account ids, S3 bucket keys, KMS aliases, CIDRs, AWS or private endpoints. */
	private static final Pattern INFRASTRUCTURE = Pattern.compile(
			"arn:aws|\\b[0-9]{12}\\b|alias/|\\b[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?\\b|\\b10\\\\\\.|amazonaws\\.com|\\.internal\\b|jdbc:|\\bbucket:|\\bhost: *[a-z]",
			Pattern.MULTILINE);

	static List<Path> environmentValuesFiles() {
		return ChartCase.all().stream().map(ChartCase::valuesFile).filter(f -> f != null).distinct().toList();
	}

	/**
	 * One contract from Terraform to Helm (DESIGN.md section 7): environments/<env>/*.values.yaml keep application
	 * settings only; every value naming infrastructure reaches Helm from the stack's outputs through deploy.sh.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("environmentValuesFiles")
	void environmentValuesNameNoInfrastructure(Path file) throws IOException {
		List<String> findings = Files.readAllLines(file).stream()
			.map(line -> line.replaceFirst("^\\s*#.*", ""))
			.filter(line -> INFRASTRUCTURE.matcher(line).find())
			.toList();
		assertThat(findings).as("%s names infrastructure; it belongs in the stack's output helm_values", file).isEmpty();
	}

	/**
	 * Who the pods log in to the data stores as (IAM authentication, issue 16) must be what the IAM policies name, so
	 * it comes from the stack's helm_values only (HelmContractTest compares it with the policies); an environment's
	 * own file must not override it, nor switch IAM auth off behind the stack's back.
	 */
	private static final List<String> DATA_STORE_IDENTITIES = List.of("config.awsRegion", "config.database.iamAuth",
			"config.database.username", "config.redis.iamAuth", "config.redis.iamUserId", "config.redis.replicationGroupId",
			"databaseRoles", "serviceAccount.irsaRoleArn", "serviceAccount.name", "extraEnv.BACKUP_DATABASE_USERNAME",
			"extraEnv.NOTEJAM_DATABASE_IAM_AUTH");

	@ParameterizedTest(name = "{0}")
	@MethodSource("environmentValuesFiles")
	void dataStoreIdentitiesComeOnlyFromTheStack(Path file) throws IOException {
		List<String> set = new ArrayList<>();
		paths("", Yaml.loadMap(file), set);
		assertThat(set).as("%s sets a data store identity; it belongs in the stack's output helm_values", file)
			.noneMatch(path -> DATA_STORE_IDENTITIES.stream().anyMatch(id -> path.equals(id) || path.startsWith(id + ".")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("terraformValuesFiles")
	void valuesFromTerraformHoldNoSecretValue(Path file) throws IOException {
		holdsNoSecretValue(file);
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
	private static void paths(String path, Map<String, Object> map, List<String> into) {
		map.forEach((key, value) -> {
			String here = path.isEmpty() ? key : path + "." + key;
			into.add(here);
			if (value instanceof Map<?, ?> child) {
				paths(here, (Map<String, Object>) child, into);
			}
		});
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
