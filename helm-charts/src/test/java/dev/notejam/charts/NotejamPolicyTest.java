package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.CustomResources.ExternalSecret;
import dev.notejam.charts.support.CustomResources.PrometheusRule;
import dev.notejam.charts.support.Manifests;
import dev.notejam.charts.support.Yaml;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1TopologySpreadConstraint;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V2HPAScalingRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Policies of the notejam chart, checked on the objects rendered for each environment's values. */
class NotejamPolicyTest {

	private static final String APP = "notejam";

	private static final String MIGRATION = "notejam-migrate";

	private static final String ROLES = "notejam-db-roles";

	static List<ChartCase> environments() {
		return ChartCase.environmentsOf("notejam");
	}

	static List<ChartCase> productionEnvironments() {
		return environments().stream().filter(ChartCase::isProductionLike).toList();
	}

	static List<ChartCase> awsManagedStoreEnvironments() {
		return environments().stream().filter(c -> !c.environment().equals("dev")).toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void appHasStartupLivenessAndReadinessProbesOnTheManagementPort(ChartCase chartCase) {
		V1Container app = appContainer(Manifests.of(chartCase));
		int managementPort = app.getPorts()
			.stream()
			.filter(p -> "management".equals(p.getName()))
			.findFirst()
			.orElseThrow()
			.getContainerPort();

		assertThat(managementPort).isEqualTo(8081);
		assertProbe(app.getStartupProbe(), "/actuator/health/liveness");
		assertProbe(app.getLivenessProbe(), "/actuator/health/liveness");
		assertProbe(app.getReadinessProbe(), "/actuator/health/readiness");
		// A JVM start on a busy node must not be killed by the liveness probe: the startup probe gives it a minute+.
		V1Probe startup = app.getStartupProbe();
		assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(60);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void rollingUpdatesNeverDropCapacityAndPodsDrainBeforeTheyStop(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1Deployment deployment = manifests.get("Deployment", APP, V1Deployment.class);
		V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
		V1Container app = pod.getContainers().get(0);

		assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
		assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().toString()).isEqualTo("0");
		int preStop = app.getLifecycle().getPreStop().getSleep().getSeconds().intValue();
		int appShutdown = shutdownTimeoutSeconds(manifests);
		assertThat(preStop).as("preStop pause").isBetween(5, 30);
		assertThat(pod.getTerminationGracePeriodSeconds()).as("grace period covers preStop + app drain")
			.isGreaterThanOrEqualTo((long) preStop + appShutdown + 5);
		V1Ingress ingress = manifests.get("Ingress", APP, V1Ingress.class);
		assertThat(ingress.getMetadata().getAnnotations())
			.containsEntry("alb.ingress.kubernetes.io/target-group-attributes",
					"deregistration_delay.timeout_seconds=" + (preStop + appShutdown));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void memoryRequestEqualsLimitAndTheHeapIsSizedFromIt(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1Container app = appContainer(manifests);
		Quantity requested = app.getResources().getRequests().get("memory");

		assertThat(app.getResources().getLimits().get("memory")).isEqualTo(requested);
		assertThat(app.getResources().getRequests()).containsKey("cpu");
		Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
			.matcher(config(manifests).get("JAVA_TOOL_OPTIONS"));
		assertThat(percentage.find()).as("JAVA_TOOL_OPTIONS sets MaxRAMPercentage").isTrue();
		assertThat(Integer.parseInt(percentage.group(1))).isBetween(50, 80);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void onlyTheHookJobMigratesAndItRunsTheAppImage(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1Container app = appContainer(manifests);
		V1Job job = manifests.get("Job", MIGRATION, V1Job.class);
		V1Container migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);

		assertThat(env(app, "SPRING_FLYWAY_ENABLED")).isEqualTo("false");
		assertThat(env(migrate, "NOTEJAM_MIGRATE_ONLY")).isEqualTo("true");
		assertThat(env(migrate, "SPRING_FLYWAY_ENABLED")).isEqualTo("true");
		assertThat(migrate.getImage()).isEqualTo(app.getImage());
		assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
		assertThat(job.getSpec().getActiveDeadlineSeconds()).isNotNull();
	}

	/**
	 * A pre-install hook runs before the release's regular objects exist, so everything the migration pod needs must
	 * itself be a hook of the same phases with a lower weight; all are cleaned up after success.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void migrationHookWeightsAndDeletePoliciesLetItRunOnAFirstInstall(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		Manifests.Rendered jobObject = manifests.get("Job", MIGRATION);
		Map<String, String> jobHook = jobObject.annotations();
		V1PodSpec pod = jobObject.as(V1Job.class).getSpec().getTemplate().getSpec();

		assertThat(Set.of(jobHook.get("helm.sh/hook").split(","))).containsExactlyInAnyOrder("pre-install",
				"pre-upgrade");
		assertThat(Set.of(jobHook.get("helm.sh/hook-delete-policy").split(",")))
			.containsExactlyInAnyOrder("before-hook-creation", "hook-succeeded");
		int jobWeight = Integer.parseInt(jobHook.get("helm.sh/hook-weight"));

		Set<String> needed = new HashSet<>();
		needed.add("ServiceAccount/" + pod.getServiceAccountName());
		pod.getContainers().get(0).getEnvFrom().forEach(e -> needed.add("ConfigMap/" + e.getConfigMapRef().getName()));
		for (V1EnvVar variable : pod.getContainers().get(0).getEnv()) {
			if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
				String secret = variable.getValueFrom().getSecretKeyRef().getName();
				// A Secret made by an ExternalSecret of this chart must come from a hook ExternalSecret.
				manifests.find("ExternalSecret", secret).ifPresent(es -> needed.add("ExternalSecret/" + secret));
				if (manifests.ofKind("ExternalSecret").stream().anyMatch(es -> es.as(ExternalSecret.class)
					.spec().target().name().equals(secret))) {
					needed.add("ExternalSecret/" + secret);
				}
			}
		}
		assertThat(needed).as("objects the migration pod needs").hasSizeGreaterThanOrEqualTo(2);
		for (String reference : needed) {
			String[] kindAndName = reference.split("/");
			Map<String, String> hook = manifests.get(kindAndName[0], kindAndName[1]).annotations();
			assertThat(hook.get("helm.sh/hook")).as("%s is a hook of the same phases", reference)
				.isEqualTo(jobHook.get("helm.sh/hook"));
			assertThat(Integer.parseInt(hook.get("helm.sh/hook-weight"))).as("%s is created before the Job", reference)
				.isLessThan(jobWeight);
			assertThat(hook.get("helm.sh/hook-delete-policy")).contains("before-hook-creation");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void helmTestPodChecksReadinessAndSignInWithoutMatchingTheAppSelectors(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		Manifests.Rendered testObject = manifests.ofKind("Pod").get(0);
		V1Pod testPod = testObject.as(V1Pod.class);
		Map<String, String> labels = testPod.getMetadata().getLabels();

		assertThat(testObject.annotations()).containsEntry("helm.sh/hook", "test");
		assertThat(matches(manifests.get("Deployment", APP, V1Deployment.class).getSpec().getSelector()
			.getMatchLabels(), labels)).as("Deployment selector matches the test pod").isFalse();
		assertThat(matches(manifests.get("Service", APP, V1Service.class).getSpec().getSelector(), labels))
			.as("Service selector matches the test pod").isFalse();
		manifests.find("PodDisruptionBudget", APP)
			.ifPresent(pdb -> assertThat(matches(pdb.as(V1PodDisruptionBudget.class).getSpec().getSelector()
				.getMatchLabels(), labels)).as("PDB selector matches the test pod").isFalse());
		String script = String.join("\n", testPod.getSpec().getContainers().get(0).getArgs());
		assertThat(script).contains("/actuator/health/readiness").contains("/signin/");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void autoscalerHasTheEnvironmentsBoundsAndBehaviour(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		Map<String, Object> values = environmentValues(chartCase);
		@SuppressWarnings("unchecked")
		Map<String, Object> autoscaling = (Map<String, Object>) values.get("autoscaling");
		V2HorizontalPodAutoscaler hpa = manifests.get("HorizontalPodAutoscaler", APP, V2HorizontalPodAutoscaler.class);
		V1Deployment deployment = manifests.get("Deployment", APP, V1Deployment.class);

		assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
		assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(autoscaling.get("minReplicas"));
		assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(autoscaling.get("maxReplicas"));
		assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
			.isEqualTo(autoscaling.get("targetCPUUtilizationPercentage"));
		assertThat(deployment.getSpec().getReplicas()).as("the HPA, not the Deployment, owns the replica count")
			.isNull();
		V2HPAScalingRules up = hpa.getSpec().getBehavior().getScaleUp();
		V2HPAScalingRules down = hpa.getSpec().getBehavior().getScaleDown();
		assertThat(up.getStabilizationWindowSeconds()).as("scale up at once").isZero();
		assertThat(up.getSelectPolicy()).isEqualTo("Max");
		assertThat(up.getPolicies()).anyMatch(p -> p.getType().equals("Percent") && p.getValue() >= 100
				&& p.getPeriodSeconds() <= 60);
		assertThat(down.getStabilizationWindowSeconds()).as("scale down only after a calm period")
			.isGreaterThanOrEqualTo(300);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("productionEnvironments")
	void productionAbsorbsA4xBurstFromAtLeastThreeReplicas(ChartCase chartCase) {
		V2HorizontalPodAutoscaler hpa = Manifests.of(chartCase)
			.get("HorizontalPodAutoscaler", APP, V2HorizontalPodAutoscaler.class);

		assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(3);
		assertThat(hpa.getSpec().getMaxReplicas()).as("HPA max >= 4x the typical (minimum) replicas")
			.isGreaterThanOrEqualTo(4 * hpa.getSpec().getMinReplicas());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("productionEnvironments")
	void productionSpreadsOverThreeZonesAndNodesWithAPdb(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1Deployment deployment = manifests.get("Deployment", APP, V1Deployment.class);
		List<V1TopologySpreadConstraint> spread = deployment.getSpec().getTemplate().getSpec()
			.getTopologySpreadConstraints();
		Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();

		V1TopologySpreadConstraint zone = constraint(spread, "topology.kubernetes.io/zone");
		assertThat(zone.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
		assertThat(zone.getMaxSkew()).isEqualTo(1);
		assertThat(zone.getMinDomains()).isEqualTo(3);
		assertThat(zone.getLabelSelector().getMatchLabels()).isEqualTo(selector);
		assertThat(constraint(spread, "kubernetes.io/hostname").getLabelSelector().getMatchLabels())
			.isEqualTo(selector);
		V1PodDisruptionBudget pdb = manifests.get("PodDisruptionBudget", APP, V1PodDisruptionBudget.class);
		assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(selector);
		assertThat(pdb.getSpec().getMaxUnavailable().toString()).isEqualTo("1");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void networkPolicyAllowsOnlyTheNamedPeersAndPorts(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1NetworkPolicy app = manifests.get("NetworkPolicy", APP, V1NetworkPolicy.class);
		V1NetworkPolicy migration = manifests.get("NetworkPolicy", MIGRATION, V1NetworkPolicy.class);

		assertThat(app.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
		assertThat(app.getSpec().getPodSelector().getMatchLabels())
			.isEqualTo(manifests.get("Deployment", APP, V1Deployment.class).getSpec().getSelector().getMatchLabels());
		for (V1NetworkPolicyIngressRule rule : app.getSpec().getIngress()) {
			assertThat(rule.getFrom()).as("an ingress rule without peers would admit everyone").isNotEmpty();
			assertThat(rule.getPorts()).extracting(p -> p.getPort().toString()).isSubsetOf("http", "management");
		}
		// 443: STS, for the role credentials that sign the IAM auth tokens (managed stores only).
		assertThat(ports(app.getSpec().getEgress())).isSubsetOf(53, 5432, 6379, 587, 443).contains(53, 5432, 6379);
		assertThat(migration.getSpec().getIngress()).as("migration pods accept no connections").isNullOrEmpty();
		assertThat(ports(migration.getSpec().getEgress())).isSubsetOf(53, 5432, 443).contains(53, 5432);
		manifests.find("NetworkPolicy", ROLES).ifPresent(roles -> {
			V1NetworkPolicy policy = roles.as(V1NetworkPolicy.class);
			assertThat(policy.getSpec().getIngress()).as("the roles hook accepts no connections").isNullOrEmpty();
			assertThat(ports(policy.getSpec().getEgress())).as("the roles hook calls no AWS API").containsExactlyInAnyOrder(53, 5432);
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("awsManagedStoreEnvironments")
	void secretsComeFromAnExternalSecretBackedByAwsSecretsManager(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		ExternalSecret externalSecret = manifests.get("ExternalSecret", APP, ExternalSecret.class);
		Set<String> provided = new HashSet<>();
		externalSecret.spec().data().forEach(d -> provided.add(d.secretKey()));

		assertThat(externalSecret.spec().secretStoreRef().name()).isEqualTo("aws-secrets-manager");
		assertThat(externalSecret.spec().target().creationPolicy()).isEqualTo("Owner");
		for (V1EnvVar variable : appContainer(manifests).getEnv()) {
			if (variable.getValueFrom() != null) {
				assertThat(variable.getValueFrom().getSecretKeyRef().getName()).as(variable.getName())
					.isEqualTo(externalSecret.spec().target().name());
				assertThat(provided).as("ExternalSecret keys").contains(variable.getValueFrom().getSecretKeyRef()
					.getKey());
			}
		}
		// Secrets Terraform names (notejam/<env>/...) or the one RDS manages and names itself (rds!db-..., by ARN).
		assertThat(externalSecret.spec().data()).allSatisfy(d -> assertThat(d.remoteRef().key())
			.matches("notejam/" + chartCase.environment() + "/.+|arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:rds!.+"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("environments")
	void ingressIsAnAlbWithTlsThatNeverRoutesToTheManagementPort(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1Ingress ingress = manifests.get("Ingress", APP, V1Ingress.class);
		Map<String, String> annotations = ingress.getMetadata().getAnnotations();

		assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("alb");
		assertThat(annotations).containsEntry("alb.ingress.kubernetes.io/target-type", "ip")
			.containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/actuator/health/readiness")
			.containsEntry("alb.ingress.kubernetes.io/healthcheck-port", "8081")
			.containsEntry("alb.ingress.kubernetes.io/ssl-redirect", "443")
			.containsKey("alb.ingress.kubernetes.io/certificate-arn");
		assertThat(ingress.getSpec().getRules()).flatExtracting(r -> r.getHttp().getPaths())
			.allSatisfy(path -> assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http"));
	}

	/**
	 * IAM authentication (issue 16): the app and its migration Job sign auth tokens for RDS and ElastiCache with the
	 * app's IAM role (IRSA; both service accounts carry it, no Kubernetes API token), read no database or Redis
	 * password, and are told the role, user and group to log in as.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("awsManagedStoreEnvironments")
	void appAndMigrationLogInWithIamAuthTokensAndNoPassword(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		V1PodSpec pod = manifests.get("Deployment", APP, V1Deployment.class).getSpec().getTemplate().getSpec();
		V1ServiceAccount account = manifests.get("ServiceAccount", pod.getServiceAccountName(), V1ServiceAccount.class);
		String role = account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn");
		assertThat(role).as("the app's IAM role").startsWith("arn:aws:iam::");
		assertThat(account.getAutomountServiceAccountToken()).isFalse();
		assertThat(pod.getAutomountServiceAccountToken()).isFalse();
		V1Job migration = manifests.get("Job", MIGRATION, V1Job.class);
		V1ServiceAccount migrationAccount = manifests.get("ServiceAccount",
				migration.getSpec().getTemplate().getSpec().getServiceAccountName(), V1ServiceAccount.class);
		assertThat(migrationAccount.getMetadata().getAnnotations()).as("Flyway signs its token with the app's role")
			.containsEntry("eks.amazonaws.com/role-arn", role);

		Map<String, String> config = manifests.get("ConfigMap", APP, V1ConfigMap.class).getData();
		assertThat(config).containsEntry("NOTEJAM_DATABASE_IAM_AUTH", "true").containsEntry("NOTEJAM_REDIS_IAM_AUTH", "true")
			.containsEntry("SPRING_DATA_REDIS_SSL_ENABLED", "true").containsKeys("AWS_REGION", "SPRING_DATASOURCE_USERNAME",
					"NOTEJAM_REDIS_IAM_USER_ID", "NOTEJAM_REDIS_REPLICATION_GROUP_ID");
		assertThat(config.get("SPRING_DATASOURCE_USERNAME")).as("never the master user").isNotIn("postgres", "notejam");
		for (V1Container container : List.of(appContainer(manifests), migration.getSpec().getTemplate().getSpec().getContainers().get(0))) {
			assertThat(container.getEnv()).extracting(V1EnvVar::getName).as(container.getName())
				.doesNotContain("SPRING_DATASOURCE_PASSWORD", "SPRING_DATASOURCE_USERNAME", "SPRING_DATA_REDIS_PASSWORD");
		}
	}

	/**
	 * The role-provisioning hook (backup image, `provision-roles`) runs before the migration Job, which logs in as the
	 * role it creates; it alone reads the RDS-managed master secret, through its own hook ExternalSecret.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("awsManagedStoreEnvironments")
	void databaseRolesHookRunsBeforeTheMigrationAndAloneReadsTheMasterSecret(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);
		java.util.Optional<Manifests.Rendered> hook = manifests.find("Job", ROLES);
		if (hook.isEmpty()) {
			// Only while prod-dr's database is a read-only replica (RDS gives it no master secret; the stack then
			// leaves databaseRoles off): the roles arrive by replication from prod.
			assertThat(chartCase.environment()).as("role-provisioning hook missing").isEqualTo("prod-dr");
			return;
		}
		int hookWeight = Integer.parseInt(hook.get().annotations().get("helm.sh/hook-weight"));
		int migrationWeight = Integer.parseInt(manifests.get("Job", MIGRATION).annotations().get("helm.sh/hook-weight"));
		assertThat(hookWeight).as("roles before the migration").isLessThan(migrationWeight);
		assertThat(hook.get().annotations().get("helm.sh/hook")).isEqualTo(manifests.get("Job", MIGRATION).annotations().get("helm.sh/hook"));
		for (String support : List.of("ExternalSecret/" + ROLES, "ServiceAccount/" + ROLES)) {
			String[] kindAndName = support.split("/");
			assertThat(Integer.parseInt(manifests.get(kindAndName[0], kindAndName[1]).annotations().get("helm.sh/hook-weight")))
				.as("%s exists before the hook Job", support).isLessThan(hookWeight);
		}

		V1Container container = hook.get().as(V1Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
		assertThat(container.getArgs()).containsExactly("provision-roles");
		assertThat(container.getImage()).contains("notejam-backup");
		Map<String, String> plain = new java.util.HashMap<>();
		container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> plain.put(e.getName(), e.getValue()));
		String appUser = manifests.get("ConfigMap", APP, V1ConfigMap.class).getData().get("SPRING_DATASOURCE_USERNAME");
		assertThat(plain).containsEntry("NOTEJAM_ROLE_AUTH", "iam").containsEntry("NOTEJAM_APP_ROLE", appUser)
			.containsEntry("PGSSLMODE", "require").containsKeys("PGHOST", "PGPORT", "PGDATABASE", "NOTEJAM_BACKUP_ROLE");
		assertThat(plain.get("NOTEJAM_BACKUP_ROLE")).isNotEqualTo(appUser);

		ExternalSecret master = manifests.get("ExternalSecret", ROLES, ExternalSecret.class);
		assertThat(master.spec().data()).extracting(ExternalSecret.Data::secretKey).containsExactlyInAnyOrder("PGUSER", "PGPASSWORD");
		assertThat(master.spec().data()).allSatisfy(d -> assertThat(d.remoteRef().key()).contains(":secret:rds!"));
		for (Manifests.PodTemplate template : manifests.podTemplates()) {
			for (V1Container other : template.allContainers()) {
				boolean reads = other.getEnv() != null && other.getEnv().stream().anyMatch(e -> e.getValueFrom() != null
						&& e.getValueFrom().getSecretKeyRef() != null && master.spec().target().name().equals(e.getValueFrom().getSecretKeyRef().getName()));
				assertThat(reads).as("%s reads the master credentials", other.getName()).isEqualTo(other.getName().equals("provision-roles"));
			}
		}
	}

	/** Misconfigurations of IAM auth fail the render with a message that says what to change. */
	@ParameterizedTest(name = "{0}")
	@MethodSource("productionEnvironments")
	void iamAuthMisconfigurationsAreRefusedAtRenderTime(ChartCase chartCase) {
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.notejam.charts.support.HelmRunner.template(chartCase,
				dev.notejam.charts.support.HelmRunner.set("config.redis.iamUserId", "")))
			.hasMessageContaining("config.redis.iamAuth needs config.redis.iamUserId");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.notejam.charts.support.HelmRunner.template(chartCase,
				dev.notejam.charts.support.HelmRunner.set("databaseRoles.enabled", true, "databaseRoles.appRole", "someone_else",
						"databaseRoles.connection.host", "db", "databaseRoles.masterSecret.key", "rds-secret")))
			.hasMessageContaining("databaseRoles.appRole (someone_else) must be the role the app logs in as");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.notejam.charts.support.HelmRunner.template(chartCase,
				dev.notejam.charts.support.HelmRunner.set("config.database.username", "")))
			.hasMessageContaining("config.database.iamAuth needs config.database.username");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.notejam.charts.support.HelmRunner.template(chartCase,
				dev.notejam.charts.support.HelmRunner.set("config.redis.ssl", false)))
			.hasMessageContaining("config.redis.ssl=true");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("productionEnvironments")
	void productionAlertsCoverTheSloDependenciesReadinessAutoscalerAndBackups(ChartCase chartCase) {
		PrometheusRule rule = Manifests.of(chartCase).get("PrometheusRule", APP, PrometheusRule.class);
		Map<String, PrometheusRule.Rule> alerts = new java.util.HashMap<>();
		rule.spec().groups().forEach(g -> g.rules().stream().filter(r -> r.alert() != null)
			.forEach(r -> alerts.put(r.alert(), r)));

		assertThat(alerts).containsKeys("NotejamErrorBudgetBurnFast", "NotejamErrorBudgetBurnMedium",
				"NotejamErrorBudgetBurnSlow", "NotejamLatencyP95AboveSlo", "NotejamDatabaseConnectionFailures",
				"NotejamRedisConnectionFailures", "NotejamReadyPodsBelowPdb", "NotejamPodsNotReady",
				"NotejamHpaAtMaxReplicas", "NotejamBackupTooOld", "NotejamBackupFailed", "NotejamRestoreDrillFailed");
		assertThat(alerts.get("NotejamLatencyP95AboveSlo").expr()).contains("> 0.3");
		assertThat(alerts.get("NotejamHpaAtMaxReplicas").forDuration()).isEqualTo("10m");
		assertThat(alerts.values()).allSatisfy(a -> {
			assertThat(a.labels()).containsKey("severity");
			assertThat(a.labels().get("severity")).isIn("critical", "warning");
			assertThat(a.annotations()).containsKeys("summary", "description", "runbook");
		});
	}

	private static void assertProbe(V1Probe probe, String path) {
		assertThat(probe).isNotNull();
		assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
		assertThat(probe.getHttpGet().getPort().toString()).isEqualTo("management");
	}

	private static V1Container appContainer(Manifests manifests) {
		return manifests.get("Deployment", APP, V1Deployment.class).getSpec().getTemplate().getSpec().getContainers()
			.get(0);
	}

	private static Map<String, String> config(Manifests manifests) {
		return manifests.get("ConfigMap", APP, V1ConfigMap.class).getData();
	}

	private static int shutdownTimeoutSeconds(Manifests manifests) {
		String value = config(manifests).get("SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE");
		assertThat(value).matches("\\d+s");
		return Integer.parseInt(value.substring(0, value.length() - 1));
	}

	private static String env(V1Container container, String name) {
		return container.getEnv()
			.stream()
			.filter(e -> e.getName().equals(name))
			.map(V1EnvVar::getValue)
			.filter(Objects::nonNull)
			.findFirst()
			.orElseThrow(() -> new AssertionError(container.getName() + " has no literal env " + name));
	}

	private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
		return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
	}

	private static V1TopologySpreadConstraint constraint(List<V1TopologySpreadConstraint> spread, String key) {
		return spread.stream()
			.filter(c -> c.getTopologyKey().equals(key))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no topology spread over " + key));
	}

	private static Set<Integer> ports(List<V1NetworkPolicyEgressRule> rules) {
		Set<Integer> ports = new HashSet<>();
		for (V1NetworkPolicyEgressRule rule : rules) {
			assertThat(rule.getTo()).as("an egress rule without peers would allow every destination").isNotEmpty();
			for (V1NetworkPolicyPort port : rule.getPorts()) {
				ports.add(port.getPort().getIntValue());
			}
		}
		return ports;
	}

	private static Map<String, Object> environmentValues(ChartCase chartCase) {
		return Yaml.loadMap(chartCase.valuesFile());
	}
}
