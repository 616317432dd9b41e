package dev.notejam.charts.support;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rendered objects of one chart case, parsed strictly, with look-ups the policy tests share. */
public final class Manifests {

	/** A rendered object: its raw YAML tree (for checks on scalar types) and its strict model. */
	public record Rendered(String kind, String name, Map<String, Object> raw, Object model) {

		public <T> T as(Class<T> type) {
			return type.cast(model);
		}

		public V1ObjectMeta metadata() {
			try {
				return (V1ObjectMeta) model.getClass().getMethod("getMetadata").invoke(model);
			}
			catch (ReflectiveOperationException ex) {
				try {
					return (V1ObjectMeta) model.getClass().getMethod("metadata").invoke(model);
				}
				catch (ReflectiveOperationException inner) {
					throw new IllegalStateException("no metadata on " + kind, inner);
				}
			}
		}

		public Map<String, String> annotations() {
			Map<String, String> annotations = metadata().getAnnotations();
			return annotations == null ? Map.of() : annotations;
		}
	}

	/** A pod template found in a workload, with the object that owns it. */
	public record PodTemplate(Rendered owner, V1ObjectMeta metadata, V1PodSpec spec) {
		public List<V1Container> allContainers() {
			List<V1Container> containers = new ArrayList<>(spec.getContainers());
			if (spec.getInitContainers() != null) {
				containers.addAll(spec.getInitContainers());
			}
			return containers;
		}
	}

	private final ChartCase chartCase;

	private final List<Rendered> objects;

	private Manifests(ChartCase chartCase, List<Rendered> objects) {
		this.chartCase = chartCase;
		this.objects = objects;
	}

	public static Manifests of(ChartCase chartCase) {
		return parse(chartCase, HelmRunner.render(chartCase));
	}

	public static Manifests parse(ChartCase chartCase, String yaml) {
		List<Rendered> objects = new ArrayList<>();
		for (Map<String, Object> document : Yaml.loadAll(yaml)) {
			Object model = StrictKubernetesParser.parse(document);
			@SuppressWarnings("unchecked")
			Map<String, Object> metadata = (Map<String, Object>) document.get("metadata");
			objects.add(new Rendered((String) document.get("kind"), (String) metadata.get("name"), document, model));
		}
		return new Manifests(chartCase, objects);
	}

	public ChartCase chartCase() {
		return chartCase;
	}

	public List<Rendered> all() {
		return objects;
	}

	public List<Rendered> ofKind(String kind) {
		return objects.stream().filter(o -> o.kind().equals(kind)).toList();
	}

	public Optional<Rendered> find(String kind, String name) {
		return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
	}

	public Rendered get(String kind, String name) {
		return find(kind, name).orElseThrow(() -> new AssertionError(
				chartCase + " renders no " + kind + " named " + name + "; it has " + objects.stream()
					.map(o -> o.kind() + "/" + o.name())
					.toList()));
	}

	public <T> T get(String kind, String name, Class<T> type) {
		return get(kind, name).as(type);
	}

	/** Every pod template: Deployments, StatefulSets, Jobs, CronJobs and bare Pods (helm test). */
	public List<PodTemplate> podTemplates() {
		List<PodTemplate> templates = new ArrayList<>();
		for (Rendered object : objects) {
			Object model = object.model();
			if (model instanceof V1Deployment d) {
				templates.add(of(object, d.getSpec().getTemplate()));
			}
			else if (model instanceof V1StatefulSet s) {
				templates.add(of(object, s.getSpec().getTemplate()));
			}
			else if (model instanceof V1Job j) {
				templates.add(of(object, j.getSpec().getTemplate()));
			}
			else if (model instanceof V1CronJob c) {
				templates.add(of(object, c.getSpec().getJobTemplate().getSpec().getTemplate()));
			}
			else if (model instanceof V1Pod p) {
				templates.add(new PodTemplate(object, p.getMetadata(), p.getSpec()));
			}
		}
		return templates;
	}

	private static PodTemplate of(Rendered owner, V1PodTemplateSpec template) {
		return new PodTemplate(owner, template.getMetadata(), template.getSpec());
	}
}
