package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.HelmRunner;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Wrong values fail at render time with a message that names the value and says what is wrong: values.schema.json
 * for types, ranges and unknown keys, template checks for rules across values.
 */
class SchemaValidationTest {

	private static final ChartCase NOTEJAM = new ChartCase("notejam", "prod");

	private static final ChartCase BACKUP = new ChartCase("notejam-backup", "prod");

	@Test
	void replicaCountMustBeANumber() {
		assertRejected(NOTEJAM, HelmRunner.set("replicaCount", "three"), "replicaCount", "got string, want integer");
	}

	@Test
	void maxReplicasMustBePositive() {
		assertRejected(NOTEJAM, HelmRunner.set("autoscaling.maxReplicas", 0), "autoscaling/maxReplicas",
				"minimum: got 0, want 1");
	}

	@Test
	void unknownTopLevelKeyIsRejected() {
		assertRejected(NOTEJAM, HelmRunner.set("replicas", 3), "additional properties 'replicas' not allowed");
	}

	@Test
	void latestImageTagIsRejected() {
		assertRejected(NOTEJAM, HelmRunner.set("image.tag", "latest"), "image/tag");
	}

	@Test
	void secretLookingPlainEnvIsRejected() {
		assertRejected(NOTEJAM, HelmRunner.set("config.extraEnv.DB_PASSWORD", "hunter2"),
				"invalid propertyName 'DB_PASSWORD'");
	}

	@Test
	void maxReplicasBelowMinReplicasIsRejected() {
		assertRejected(NOTEJAM, HelmRunner.set("autoscaling.minReplicas", 5, "autoscaling.maxReplicas", 4),
				"autoscaling.maxReplicas (4) must not be lower than autoscaling.minReplicas (5)");
	}

	@Test
	void gracePeriodShorterThanTheDrainIsRejected() {
		assertRejected(NOTEJAM, HelmRunner.set("gracefulShutdown.terminationGracePeriodSeconds", 15),
				"terminationGracePeriodSeconds (15) must be at least preStopSleepSeconds + appShutdownTimeoutSeconds + 5 (35)");
	}

	@Test
	void bothSecretSourcesAtOnceAreRejected() {
		assertRejected(NOTEJAM, HelmRunner.set("secrets.existingSecret", "other"),
				"set either secrets.existingSecret or secrets.externalSecret.enabled, not both");
	}

	@Test
	void backupScheduleMustBeACronExpression() {
		assertRejected(BACKUP, HelmRunner.set("schedules.backup.schedule", "daily"), "schedules/backup/schedule");
	}

	@Test
	void backupEnvironmentMustBeKnown() {
		assertRejected(BACKUP, HelmRunner.set("environment", "staging"), "environment",
				"value must be one of 'dev', 'test', 'prod', 'prod-dr'");
	}

	@Test
	void unencryptedBackupsAreRejected() {
		assertRejected(new ChartCase("notejam-backup", "dev"),
				HelmRunner.set("encryption.kmsKeyArn", "", "secrets.existingSecret", ""),
				"backups must be encrypted");
	}

	private static void assertRejected(ChartCase chartCase, Map<String, Object> values, String... messageParts) {
		var rejection = assertThatThrownBy(() -> HelmRunner.template(chartCase, values))
			.isInstanceOf(IllegalStateException.class);
		for (String part : messageParts) {
			rejection.hasMessageContaining(part);
		}
	}
}
