package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.Manifests;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1CronJobSpec;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Policies of the notejam-backup chart in every environment (DESIGN section 8, backup-jobs CLI contract). */
class BackupPolicyTest {

	private static final String NAME = "notejam-backup";

	static List<ChartCase> environments() {
		return ChartCase.environmentsOf(NAME);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void backsUpDailyAndVerifiesWeeklyWithoutOverlappingRuns(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1CronJobSpec backup = cronJob(manifests, "scheduled").getSpec();
		V1CronJobSpec verify = cronJob(manifests, "verify").getSpec();

		String[] daily = backup.getSchedule().split("\\s+");
		assertThat(daily).as("daily: fixed minute and hour, every day").hasSize(5);
		assertThat(daily[0]).matches("\\d+");
		assertThat(daily[1]).matches("\\d+");
		assertThat(List.of(daily[2], daily[3], daily[4])).containsOnly("*");
		String[] weekly = verify.getSchedule().split("\\s+");
		assertThat(weekly[4]).as("weekly: one day of the week").matches("[0-6]");
		assertThat(List.of(weekly[2], weekly[3])).containsOnly("*");
		assertThat(backup.getSuspend()).isFalse();
		assertThat(verify.getSuspend()).isFalse();
		assertThat(container(cronJob(manifests, "scheduled")).getArgs()).containsExactly("backup", "--trigger",
				"scheduled");
		assertThat(container(cronJob(manifests, "verify")).getArgs()).containsExactly("verify", "--latest");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void everyCronJobIsBoundedAndKeepsHistory(ChartCase chartCase) {
		List<Manifests.Rendered> cronJobs = Manifests.of(chartCase).ofKind("CronJob");

		assertThat(cronJobs).hasSize(4);
		for (Manifests.Rendered object : cronJobs) {
			V1CronJobSpec spec = object.as(V1CronJob.class).getSpec();
			assertThat(spec.getConcurrencyPolicy()).as(object.name()).isEqualTo("Forbid");
			assertThat(spec.getStartingDeadlineSeconds()).as(object.name()).isPositive();
			assertThat(spec.getSuccessfulJobsHistoryLimit()).as(object.name()).isPositive();
			assertThat(spec.getFailedJobsHistoryLimit()).as(object.name()).isPositive();
			assertThat(spec.getTimeZone()).as(object.name()).isNotBlank();
			assertThat(spec.getJobTemplate().getSpec().getBackoffLimit()).as(object.name()).isBetween(0, 6);
			assertThat(spec.getJobTemplate().getSpec().getActiveDeadlineSeconds()).as(object.name()).isPositive();
			assertThat(spec.getJobTemplate().getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
		}
	}

	/**
	 * Manual and pre-deploy runs come from suspended CronJobs (kubectl create job --from=cronjob/...), with exactly
	 * the scheduled run's pod spec except the --trigger argument, so every kind of run shares one code path.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void manualAndPredeployRunsShareTheScheduledPodSpec(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1PodSpec scheduled = podSpec(cronJob(manifests, "scheduled"));

		for (String trigger : List.of("manual", "predeploy")) {
			V1CronJob template = cronJob(manifests, trigger);
			assertThat(template.getSpec().getSuspend()).as("%s never runs on its own", trigger).isTrue();
			assertThat(container(template).getArgs()).containsExactly("backup", "--trigger", trigger);
			V1PodSpec pod = podSpec(template);
			V1Container withScheduledArgs = container(template).args(container(cronJob(manifests, "scheduled")).getArgs());
			assertThat(withScheduledArgs).as("%s container equals the scheduled one apart from --trigger", trigger)
				.isEqualTo(scheduled.getContainers().get(0));
			assertThat(pod.getServiceAccountName()).isEqualTo(scheduled.getServiceAccountName());
			assertThat(pod.getVolumes()).isEqualTo(scheduled.getVolumes());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void jobsRunUnderAnIrsaRoleWithKmsEnvelopeEncryptionForTheirEnvironment(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		Map<String, String> config = manifests.get("ConfigMap", NAME, V1ConfigMap.class).getData();
		V1PodSpec pod = podSpec(cronJob(manifests, "scheduled"));
		V1ServiceAccount account = manifests.get("ServiceAccount", pod.getServiceAccountName(), V1ServiceAccount.class);

		assertThat(config).containsEntry("BACKUP_ENVIRONMENT", chartCase.environment());
		// prod-dr backs up into the replica of prod's bucket that prod keeps in its region (under its own prefix).
		assertThat(config.get("BACKUP_S3_BUCKET"))
			.contains(chartCase.environment().equals("prod-dr") ? "notejam-prod-backups-replica" : chartCase.environment());
		assertThat(config.get("BACKUP_KMS_KEY_ARN")).startsWith("arn:aws:kms:");
		assertThat(config.get("BACKUP_DATABASE_URL")).startsWith("jdbc:postgresql://");
		assertThat(container(cronJob(manifests, "scheduled")).getEnv())
			.as("no client-side key when KMS encrypts")
			.noneMatch(e -> e.getName().equals("BACKUP_ENCRYPTION_KEY"));
		// Which role, and that it trusts this service account, is environments' HelmContractTest's check.
		assertThat(account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"))
			.matches("arn:aws:iam::\\d{12}:role/[\\w+=,.@-]+");
		assertThat(container(cronJob(manifests, "scheduled")).getEnv())
			.filteredOn(e -> e.getName().startsWith("AWS_"))
			.as("AWS credentials only through the default chain (IRSA), never static keys")
			.isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void jobPodsAcceptNoConnections(ChartCase chartCase) {
		V1NetworkPolicy policy = Manifests.of(chartCase).get("NetworkPolicy", NAME, V1NetworkPolicy.class);

		assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
		assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
		assertThat(policy.getSpec().getEgress()).allSatisfy(rule -> assertThat(rule.getTo()).isNotEmpty());
		assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts())
			.extracting(p -> p.getPort().getIntValue())
			.containsOnly(53, 5432, 443);
	}

	private static V1CronJob cronJob(Manifests manifests, String trigger) {
		return manifests.get("CronJob", NAME + "-" + trigger, V1CronJob.class);
	}

	private static V1PodSpec podSpec(V1CronJob cronJob) {
		return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
	}

	private static V1Container container(V1CronJob cronJob) {
		return podSpec(cronJob).getContainers().get(0);
	}
}
