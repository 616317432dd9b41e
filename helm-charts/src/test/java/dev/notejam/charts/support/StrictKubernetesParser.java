package dev.notejam.charts.support;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.util.Map;

/**
 * Turns one rendered document into its typed model, strictly.
 * <p>
 * The official client-java models validate while deserialising through {@link JSON#getGson()}: a field the model
 * does not define fails ("The field `x` in the JSON string is not defined in the `V1Container` properties") and so
 * does a missing required field. Custom resources use {@link CustomResources}, checked by a round trip: whatever
 * the model did not take up is reported as unknown.
 */
public final class StrictKubernetesParser {

	private static final Map<String, Class<?>> MODELS = Map.ofEntries(
		Map.entry("v1/ConfigMap", V1ConfigMap.class),
		Map.entry("v1/Secret", V1Secret.class),
		Map.entry("v1/Service", V1Service.class),
		Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
		Map.entry("v1/Pod", V1Pod.class),
		Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
		Map.entry("apps/v1/Deployment", V1Deployment.class),
		Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
		Map.entry("batch/v1/Job", V1Job.class),
		Map.entry("batch/v1/CronJob", V1CronJob.class),
		Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
		Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
		Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
		Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
		Map.entry("external-secrets.io/v1/ExternalSecret", CustomResources.ExternalSecret.class),
		Map.entry("monitoring.coreos.com/v1/ServiceMonitor", CustomResources.ServiceMonitor.class),
		Map.entry("monitoring.coreos.com/v1/PrometheusRule", CustomResources.PrometheusRule.class));

	private StrictKubernetesParser() {
	}

	/** Parses a document; throws IllegalArgumentException naming the kind, the object and the offending field. */
	public static Object parse(Map<String, Object> document) {
		String apiVersion = String.valueOf(document.get("apiVersion"));
		String kind = String.valueOf(document.get("kind"));
		String name = nameOf(document);
		Class<?> model = MODELS.get(apiVersion + "/" + kind);
		if (model == null) {
			throw new IllegalArgumentException("No strict model for " + apiVersion + "/" + kind + " (" + name
					+ "): add one to StrictKubernetesParser before rendering this kind");
		}
		Gson gson = JSON.getGson();
		JsonElement tree = gson.toJsonTree(document);
		try {
			Object parsed = gson.fromJson(tree, model);
			if (model.isRecord()) {
				String unknown = firstFieldNotKept(tree, gson.toJsonTree(parsed), "");
				if (unknown != null) {
					throw new IllegalArgumentException("The field `" + unknown + "` is not defined in the model "
							+ model.getSimpleName());
				}
			}
			return parsed;
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(kind + " " + name + " is not a valid " + apiVersion + " " + kind + ": "
					+ rootCause(ex).getMessage(), ex);
		}
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** The path of the first rendered field that the model dropped (so it does not know it), or null. */
	private static String firstFieldNotKept(JsonElement rendered, JsonElement kept, String path) {
		if (rendered.isJsonObject()) {
			if (!kept.isJsonObject()) {
				return path;
			}
			for (var entry : rendered.getAsJsonObject().entrySet()) {
				String childPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
				JsonElement keptChild = kept.getAsJsonObject().get(entry.getKey());
				if (keptChild == null) {
					return childPath;
				}
				String missing = firstFieldNotKept(entry.getValue(), keptChild, childPath);
				if (missing != null) {
					return missing;
				}
			}
			return null;
		}
		if (rendered.isJsonArray()) {
			if (!kept.isJsonArray() || kept.getAsJsonArray().size() != rendered.getAsJsonArray().size()) {
				return path;
			}
			for (int i = 0; i < rendered.getAsJsonArray().size(); i++) {
				String missing = firstFieldNotKept(rendered.getAsJsonArray().get(i), kept.getAsJsonArray().get(i),
						path + "[" + i + "]");
				if (missing != null) {
					return missing;
				}
			}
			return null;
		}
		return rendered.equals(kept) ? null : path;
	}

	@SuppressWarnings("unchecked")
	private static String nameOf(Map<String, Object> document) {
		Object metadata = document.get("metadata");
		return metadata instanceof Map<?, ?> map ? String.valueOf(((Map<String, Object>) map).get("name")) : "<no name>";
	}
}
