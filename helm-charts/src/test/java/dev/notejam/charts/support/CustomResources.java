package dev.notejam.charts.support;

import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hand-written models of the custom resources the charts render (External Secrets Operator, Prometheus Operator).
 * client-java has no models for them and their CRDs cannot be fetched offline, so these mirror exactly the fields the
 * charts use: the parser fails on any other field (a typo would otherwise be dropped silently by the API server's
 * pruning) and the compact constructors fail on missing required ones.
 */
public final class CustomResources {

	private CustomResources() {
	}

	public record ExternalSecret(String apiVersion, String kind, V1ObjectMeta metadata, Spec spec) {
		public ExternalSecret {
			require(metadata, "metadata");
			require(spec, "spec");
		}

		public record Spec(String refreshInterval, StoreRef secretStoreRef, Target target, List<Data> data) {
			public Spec {
				require(secretStoreRef, "spec.secretStoreRef");
				require(target, "spec.target");
				require(data, "spec.data");
			}
		}

		public record StoreRef(String kind, String name) {
			public StoreRef {
				require(name, "spec.secretStoreRef.name");
			}
		}

		public record Target(String name, String creationPolicy) {
			public Target {
				require(name, "spec.target.name");
			}
		}

		public record Data(String secretKey, RemoteRef remoteRef) {
			public Data {
				require(secretKey, "spec.data[].secretKey");
				require(remoteRef, "spec.data[].remoteRef");
			}
		}

		public record RemoteRef(String key, String property) {
			public RemoteRef {
				require(key, "spec.data[].remoteRef.key");
			}
		}
	}

	public record ServiceMonitor(String apiVersion, String kind, V1ObjectMeta metadata, Spec spec) {
		public ServiceMonitor {
			require(metadata, "metadata");
			require(spec, "spec");
		}

		public record Spec(V1LabelSelector selector, List<Endpoint> endpoints) {
			public Spec {
				require(selector, "spec.selector");
				require(endpoints, "spec.endpoints");
			}
		}

		public record Endpoint(String port, String path, String interval) {
			public Endpoint {
				require(port, "spec.endpoints[].port");
			}
		}
	}

	public record PrometheusRule(String apiVersion, String kind, V1ObjectMeta metadata, Spec spec) {
		public PrometheusRule {
			require(metadata, "metadata");
			require(spec, "spec");
		}

		public record Spec(List<Group> groups) {
			public Spec {
				require(groups, "spec.groups");
			}
		}

		public record Group(String name, List<Rule> rules) {
			public Group {
				require(name, "spec.groups[].name");
				require(rules, "spec.groups[].rules");
			}
		}

		/** An alerting rule (alert) or a recording rule (record): exactly one of the two. */
		public record Rule(String alert, String record, String expr, @SerializedName("for") String forDuration,
				Map<String, String> labels, Map<String, String> annotations) {
			public Rule {
				if ((alert == null) == (record == null)) {
					throw new IllegalArgumentException("spec.groups[].rules[] needs exactly one of `alert` and `record`");
				}
				require(expr, "spec.groups[].rules[].expr");
			}
		}
	}

	private static void require(Object value, String field) {
		Objects.requireNonNull(value, () -> "The required field `" + field + "` is missing");
	}
}
