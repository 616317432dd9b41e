package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.HelmRunner;
import dev.notejam.charts.support.Manifests;
import dev.notejam.charts.support.Manifests.PodTemplate;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policies that hold for every pod of every chart in every environment: least privilege, bounded resources, pinned
 * images, and no secret value anywhere in the rendered objects.
 */
class WorkloadHygieneTest {

	private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|credential|private_?key|_key)$");

	private static final Pattern SECRET_LOOKING_VALUE = Pattern.compile(
			"AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|(?i)(password|passwd)\\s*[=:]\\s*\\S{4,}");

	static List<ChartCase> cases() {
		return ChartCase.all();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void everyPodRunsAsNonRootWithAReadOnlyRootFileSystemAndNoPrivileges(ChartCase chartCase) {
		List<PodTemplate> pods = Manifests.of(chartCase).podTemplates();
		assertThat(pods).isNotEmpty();

		for (PodTemplate pod : pods) {
			V1PodSecurityContext podContext = pod.spec().getSecurityContext();
			String owner = pod.owner().kind() + "/" + pod.owner().name();
			assertThat(podContext).as("pod security context of %s", owner).isNotNull();
			assertThat(podContext.getRunAsNonRoot()).as("runAsNonRoot of %s", owner).isTrue();
			assertThat(podContext.getRunAsUser()).as("fixed non-zero uid of %s", owner).isNotNull().isPositive();
			assertThat(podContext.getRunAsGroup()).as("fixed non-zero gid of %s", owner).isNotNull().isPositive();
			assertThat(podContext.getSeccompProfile().getType()).as("seccomp of %s", owner).isEqualTo("RuntimeDefault");
			assertThat(pod.spec().getAutomountServiceAccountToken()).as("API token mounted into %s", owner).isFalse();
			assertThat(pod.spec().getHostNetwork()).as("hostNetwork of %s", owner).isNotEqualTo(Boolean.TRUE);
			for (V1Container container : pod.allContainers()) {
				V1SecurityContext context = container.getSecurityContext();
				String where = owner + " container " + container.getName();
				assertThat(context).as("security context of %s", where).isNotNull();
				assertThat(context.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem of %s", where).isTrue();
				assertThat(context.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation of %s", where).isFalse();
				assertThat(context.getPrivileged()).as("privileged of %s", where).isNotEqualTo(Boolean.TRUE);
				assertThat(context.getCapabilities().getDrop()).as("dropped capabilities of %s", where)
					.containsExactly("ALL");
				assertThat(context.getCapabilities().getAdd()).as("added capabilities of %s", where).isNullOrEmpty();
				assertThat(context.getRunAsUser() == null || context.getRunAsUser() != 0L)
					.as("container uid override to root in %s", where).isTrue();
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void everyContainerRequestsCpuAndMemoryWithMemoryRequestEqualToItsLimit(ChartCase chartCase) {
		for (PodTemplate pod : Manifests.of(chartCase).podTemplates()) {
			for (V1Container container : pod.allContainers()) {
				String where = pod.owner().kind() + "/" + pod.owner().name() + " container " + container.getName();
				var resources = container.getResources();
				assertThat(resources).as("resources of %s", where).isNotNull();
				assertThat(resources.getRequests()).as("requests of %s", where).containsKeys("cpu", "memory");
				assertThat(resources.getLimits()).as("limits of %s", where).containsKey("memory");
				assertThat(resources.getLimits().get("memory")).as("memory limit = request for %s", where)
					.isEqualTo(resources.getRequests().get("memory"));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void everyImageIsPinnedByTagOrDigestAndNeverLatest(ChartCase chartCase) {
		for (PodTemplate pod : Manifests.of(chartCase).podTemplates()) {
			for (V1Container container : pod.allContainers()) {
				String image = container.getImage();
				String lastPart = image.substring(image.lastIndexOf('/') + 1);
				assertThat(lastPart).as("image of %s/%s", pod.owner().kind(), pod.owner().name())
					.matches("[^:@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})")
					.doesNotEndWith(":latest");
			}
		}
	}

	/**
	 * Secret values never travel through the chart: env vars that look secret come from secretKeyRef, ConfigMaps hold
	 * no secret-looking keys or values, and no rendered text contains credential patterns. The only Secrets rendered
	 * at all are the dev stores' generated passwords, which must differ on every render (made at install time, not
	 * taken from values or the repo).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void noSecretValueAppearsInAnyRenderedObject(ChartCase chartCase) {
		Manifests manifests = Manifests.of(chartCase);

		for (PodTemplate pod : manifests.podTemplates()) {
			for (V1Container container : pod.allContainers()) {
				for (V1EnvVar variable : container.getEnv() == null ? List.<V1EnvVar>of() : container.getEnv()) {
					if (SECRET_NAME.matcher(variable.getName()).matches()) {
						assertThat(variable.getValue()).as("literal value of secret env %s in %s/%s", variable.getName(),
								pod.owner().kind(), pod.owner().name()).isNull();
						assertThat(variable.getValueFrom().getSecretKeyRef()).as("%s comes from a Secret",
								variable.getName()).isNotNull();
					}
				}
			}
		}
		for (Manifests.Rendered configMap : manifests.ofKind("ConfigMap")) {
			Map<String, String> data = configMap.as(V1ConfigMap.class).getData();
			assertThat(data.keySet()).as("keys of ConfigMap %s", configMap.name())
				.noneMatch(key -> SECRET_NAME.matcher(key).matches());
		}
		for (Manifests.Rendered object : manifests.all()) {
			if (!object.kind().equals("Secret")) {
				assertThat(SECRET_LOOKING_VALUE.matcher(object.raw().toString()).find())
					.as("credential-looking text in %s/%s", object.kind(), object.name()).isFalse();
			}
		}

		List<Manifests.Rendered> secrets = manifests.ofKind("Secret");
		if (!chartCase.chart().endsWith("-dev")) {
			assertThat(secrets).as("Secrets rendered by %s", chartCase).isEmpty();
		}
		else {
			assertThat(secrets).hasSize(1);
			String again = HelmRunner.template(chartCase, Map.of());
			Manifests.Rendered secondRender = Manifests.parse(chartCase, again).ofKind("Secret").get(0);
			assertThat(secondRender.raw().get("data")).as("the generated password is random, not a fixed value")
				.isNotEqualTo(secrets.get(0).raw().get("data"));
			assertThat(secrets.get(0).annotations()).containsEntry("helm.sh/hook", "pre-install");
		}
	}
}
