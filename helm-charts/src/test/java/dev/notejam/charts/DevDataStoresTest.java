package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.Manifests;
import dev.notejam.charts.support.ValuesMerge;
import dev.notejam.charts.support.Yaml;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** postgres-dev and redis-dev: small single-replica StatefulSets for dev only, wired to the dev app values. */
class DevDataStoresTest {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "postgres-dev", "redis-dev" })
	void isOneReplicaWithProbesAndAPersistentVolume(String chart) {
		Manifests manifests = Manifests.of(new ChartCase(chart, "dev"));
		V1StatefulSet statefulSet = manifests.get("StatefulSet", chart, V1StatefulSet.class);
		V1Container container = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);

		assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(1);
		assertThat(container.getStartupProbe()).isNotNull();
		assertThat(container.getLivenessProbe()).isNotNull();
		assertThat(container.getReadinessProbe()).isNotNull();
		assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).singleElement()
			.satisfies(claim -> assertThat(claim.getSpec().getResources().getRequests()).containsKey("storage"));
		assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getName()).isEqualTo("data"));
		assertThat(manifests.find("Service", chart)).isPresent();
		assertThat(manifests.find("Service", chart + "-headless")).isPresent();
		assertThat(statefulSet.getSpec().getServiceName()).isEqualTo(chart + "-headless");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "postgres-dev", "redis-dev" })
	void acceptsConnectionsOnlyFromNotejamPods(String chart) {
		V1NetworkPolicy policy = Manifests.of(new ChartCase(chart, "dev")).get("NetworkPolicy", chart,
				V1NetworkPolicy.class);

		assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
		assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
		assertThat(policy.getSpec().getIngress()).singleElement()
			.satisfies(rule -> assertThat(rule.getFrom()).singleElement()
				.satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
					.containsEntry("app.kubernetes.io/part-of", "notejam")));
	}

	/** The dev app reads exactly the Secrets and keys that the dev store charts generate. */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "notejam", "notejam-backup" })
	void devConsumersReadTheGeneratedStoreSecrets(String chart) {
		Map<String, Map<String, Object>> generated = Map.of(
				"postgres-dev", secretData("postgres-dev"),
				"redis-dev", secretData("redis-dev"));
		Manifests manifests = Manifests.of(new ChartCase(chart, "dev"));

		int references = 0;
		for (Manifests.PodTemplate pod : manifests.podTemplates()) {
			for (V1Container container : pod.allContainers()) {
				for (V1EnvVar variable : container.getEnv() == null ? java.util.List.<V1EnvVar>of() : container.getEnv()) {
					if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
						var ref = variable.getValueFrom().getSecretKeyRef();
						assertThat(generated).as("%s reads a Secret that a dev store generates", variable.getName())
							.containsKey(ref.getName());
						assertThat(generated.get(ref.getName())).as("keys of Secret %s", ref.getName())
							.containsKey(ref.getKey());
						references++;
					}
				}
			}
		}
		assertThat(references).isPositive();
	}

	/** The data-store charts exist for dev only: other environments point at RDS and ElastiCache. */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "test", "prod", "prod-dr" })
	void otherEnvironmentsUseManagedStoresOverTls(String environment) {
		ChartCase chartCase = new ChartCase("notejam", environment);
		@SuppressWarnings("unchecked")
		Map<String, Object> values = Map.of();
		for (Path file : chartCase.valuesFiles()) {
			values = ValuesMerge.coalesce(values, Yaml.loadMap(file));
		}
		Map<String, Object> config = (Map<String, Object>) values.get("config");

		assertThat(config.toString()).doesNotContain("postgres-dev").doesNotContain("redis-dev");
		assertThat(((Map<?, ?>) config.get("redis")).get("ssl")).isEqualTo(true);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> secretData(String chart) {
		return (Map<String, Object>) Manifests.of(new ChartCase(chart, "dev")).get("Secret", chart).raw().get("data");
	}
}
