package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.ChartPaths;
import dev.notejam.charts.support.HelmRunner;
import dev.notejam.charts.support.Manifests;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The restore's local copy of the dump (issue 22, opt-in): restoreWorkDir gives the pods that run restores a volume
 * with a size limit and sets BACKUP_WORK_DIR, the variable backup-jobs reads. Restores are Jobs cut by
 * ci/scripts/backup-job.sh from one CronJob, which is the only one that gets the volume.
 */
class BackupRestoreWorkDirTest {

	private static final String NAME = "notejam-backup";

	private static final ChartCase PROD = new ChartCase(NAME, "prod");

	static List<ChartCase> environments() {
		return ChartCase.environmentsOf(NAME);
	}

	/** The CronJob ci/scripts/backup-job.sh clones for a restore: --from="cronjob/$release-<suffix>". */
	private static String restoreCronJob() throws IOException {
		Path script = ChartPaths.charts().getParent().getParent().resolve("ci/scripts/backup-job.sh");
		Matcher from = Pattern.compile("--from=\"cronjob/\\$release-([a-z]+)\"").matcher(Files.readString(script));
		assertThat(from.find()).as("backup-job.sh creates its Job from a CronJob of the release").isTrue();
		return NAME + "-" + from.group(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void offByDefaultTheRestoreStreams(ChartCase chartCase) {
		for (Manifests.Rendered cronJob : Manifests.of(chartCase).ofKind("CronJob")) {
			V1PodSpec pod = podSpec(cronJob.as(V1CronJob.class));
			assertThat(pod.getVolumes()).extracting(V1Volume::getName).as(cronJob.name()).containsExactly("tmp");
			assertThat(container(pod).getEnv()).extracting(V1EnvVar::getName).doesNotContain("BACKUP_WORK_DIR");
		}
	}

	@Test
	void anEphemeralClaimOfTheGivenSizeOnTheRestoreCronJobOnly() throws IOException {
		Manifests manifests = Manifests.parse(PROD, HelmRunner.template(PROD, HelmRunner.set("restoreWorkDir.enabled", true,
				"restoreWorkDir.sizeGi", 30, "restoreWorkDir.storageClassName", "gp3")));
		String restore = restoreCronJob();
		for (Manifests.Rendered cronJob : manifests.ofKind("CronJob")) {
			V1PodSpec pod = podSpec(cronJob.as(V1CronJob.class));
			V1Container container = container(pod);
			// the pod's own ephemeral storage is not touched: the claim is a volume of its own
			assertThat(container.getResources().getLimits().get("ephemeral-storage")).isEqualTo(Quantity.fromString("2Gi"));
			if (!cronJob.name().equals(restore)) {
				assertThat(pod.getVolumes()).as(cronJob.name()).extracting(V1Volume::getName).containsExactly("tmp");
				continue;
			}
			assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("BACKUP_WORK_DIR")).singleElement()
				.satisfies(e -> assertThat(e.getValue()).isEqualTo("/var/lib/notejam-restore"));
			assertThat(container.getVolumeMounts()).anySatisfy(m -> {
				assertThat(m.getName()).isEqualTo("restore-work");
				assertThat(m.getMountPath()).isEqualTo("/var/lib/notejam-restore");
			});
			V1Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals("restore-work")).findFirst().orElseThrow();
			var claim = volume.getEphemeral().getVolumeClaimTemplate().getSpec();
			assertThat(claim.getAccessModes()).containsExactly("ReadWriteOnce");
			assertThat(claim.getStorageClassName()).isEqualTo("gp3");
			assertThat(claim.getResources().getRequests().get("storage")).isEqualTo(Quantity.fromString("30Gi"));
			assertThat(volume.getEmptyDir()).isNull();
		}
	}

	@Test
	void anEmptyDirIsCountedInThePodsEphemeralStorage() throws IOException {
		Manifests manifests = Manifests.parse(PROD, HelmRunner.template(PROD, HelmRunner.set("restoreWorkDir.enabled", true,
				"restoreWorkDir.type", "emptyDir")));
		V1PodSpec pod = podSpec(manifests.get("CronJob", restoreCronJob(), V1CronJob.class));
		V1Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals("restore-work")).findFirst().orElseThrow();
		assertThat(volume.getEmptyDir().getSizeLimit()).isEqualTo(Quantity.fromString("20Gi"));
		assertThat(volume.getEphemeral()).isNull();
		// 2Gi of the job's own plus the 20Gi volume: otherwise the kubelet evicts the pod when the dump fills the volume
		Map<String, Quantity> limits = container(pod).getResources().getLimits();
		assertThat(limits.get("ephemeral-storage")).isEqualTo(Quantity.fromString("22Gi"));
		assertThat(container(pod).getResources().getRequests().get("ephemeral-storage")).isEqualTo(Quantity.fromString("22Gi"));
		V1PodSpec scheduled = podSpec(manifests.get("CronJob", NAME + "-scheduled", V1CronJob.class));
		assertThat(container(scheduled).getResources().getLimits().get("ephemeral-storage")).isEqualTo(Quantity.fromString("2Gi"));
	}

	@Test
	void badSettingsAreRefused() {
		assertRejected(HelmRunner.set("restoreWorkDir.enabled", true, "restoreWorkDir.type", "hostPath"), "restoreWorkDir/type");
		assertRejected(HelmRunner.set("restoreWorkDir.enabled", true, "restoreWorkDir.mountPath", "/tmp"), "restoreWorkDir/mountPath");
		assertRejected(HelmRunner.set("restoreWorkDir.enabled", true, "restoreWorkDir.sizeGi", 1), "restoreWorkDir/sizeGi");
		assertRejected(HelmRunner.set("restoreWorkDir.size", "20Gi"), "additional properties 'size' not allowed");
		assertRejected(HelmRunner.set("restoreWorkDir.enabled", true, "restoreWorkDir.type", "emptyDir", "resources.ephemeralStorage", "2048Mi"),
				"resources.ephemeralStorage must be whole Gi");
	}

	@Test
	void theVariableIsTheOneTheBackupJobReads() throws IOException {
		Path settings = ChartPaths.charts().getParent().getParent()
			.resolve("backup-jobs/src/main/java/dev/notejam/backup/config/BackupSettings.java");
		assertThat(Files.readString(settings)).contains("\"BACKUP_WORK_DIR\"");
	}

	private static void assertRejected(Map<String, Object> values, String... messageParts) {
		var rejection = assertThatThrownBy(() -> HelmRunner.template(PROD, values)).isInstanceOf(IllegalStateException.class);
		for (String part : messageParts) {
			rejection.hasMessageContaining(part);
		}
	}

	private static V1PodSpec podSpec(V1CronJob cronJob) {
		return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
	}

	private static V1Container container(V1PodSpec pod) {
		return pod.getContainers().get(0);
	}
}
