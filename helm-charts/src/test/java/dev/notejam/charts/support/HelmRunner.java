package dev.notejam.charts.support;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs Helm in-process through helm-java (Helm compiled as a native library; no CLI, no cluster, no network).
 * Renders are cached: several test classes check the same output.
 */
public final class HelmRunner {

	/** The oldest Kubernetes the charts support (Chart.yaml kubeVersion): native preStop sleep, matchLabelKeys. */
	public static final String KUBE_VERSION = "v1.30.0";

	private static final Map<ChartCase, String> RENDERED = new ConcurrentHashMap<>();

	private HelmRunner() {
	}

	public static String render(ChartCase chartCase) {
		return RENDERED.computeIfAbsent(chartCase, c -> template(c, Map.of()));
	}

	/**
	 * Renders without the cache, with extra --set values; Helm's error surfaces as an IllegalStateException.
	 * <p>
	 * helm-java's template prints the release manifest only and leaves hooks out (the migration Job and its
	 * support objects, the test pod, the dev stores' generated Secrets). Helm recognises a hook solely by its
	 * {@code helm.sh/hook} annotation, so the chart is rendered from a copy in target/ where that annotation key is
	 * renamed, and the key is restored in the output: the same templates, hooks included.
	 */
	public static String template(ChartCase chartCase, Map<String, Object> setValues) {
		var command = new Helm(withHooksRendered(chartCase.chart())).template()
			.withName(chartCase.release())
			.withNamespace(ChartCase.NAMESPACE)
			.withKubeVersion(KUBE_VERSION);
		for (Path valuesFile : chartCase.valuesFiles()) {
			command = command.withValuesFile(valuesFile);
		}
		for (var entry : setValues.entrySet()) {
			command = command.set(entry.getKey(), entry.getValue());
		}
		return command.call().replace(RENAMED_HOOK_KEY, HOOK_KEY);
	}

	private static final String HOOK_KEY = "helm.sh/hook:";

	private static final String RENAMED_HOOK_KEY = "notejam.dev/hook-rendered-by-test:";

	private static final Map<String, Path> HOOK_COPIES = new ConcurrentHashMap<>();

	private static Path withHooksRendered(String chartName) {
		return HOOK_COPIES.computeIfAbsent(chartName, name -> {
			Path copy = ChartPaths.output().resolve("render").resolve(name);
			copyTree(ChartPaths.charts().resolve(name), copy);
			try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
				for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
					String text = Files.readString(file);
					if (text.contains(RENAMED_HOOK_KEY)) {
						throw new IllegalStateException(file + " already uses " + RENAMED_HOOK_KEY);
					}
					Files.writeString(file, text.replace(HOOK_KEY, RENAMED_HOOK_KEY));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return copy;
		});
	}

	/** Renders a packaged chart archive with the case's values. */
	public static String templateArchive(Path archive, ChartCase chartCase) {
		var command = new Helm(archive).template()
			.withName(chartCase.release())
			.withNamespace(ChartCase.NAMESPACE)
			.withKubeVersion(KUBE_VERSION);
		for (Path valuesFile : chartCase.valuesFiles()) {
			command = command.withValuesFile(valuesFile);
		}
		return command.call();
	}

	/**
	 * helm lint --strict with the case's values. helm-java's lint takes no values file, so the chart is copied to
	 * target/ with its values.yaml replaced by defaults merged with the case's files in order (Helm's coalescing rules).
	 */
	public static LintResult lintStrict(ChartCase chartCase) {
		Path chart = chartCase.chartDirectory();
		if (chartCase.valuesFile() != null) {
			Path copy = ChartPaths.output().resolve("lint").resolve(chartCase.environment()).resolve(chartCase.chart());
			copyTree(chart, copy);
			Map<String, Object> merged = Yaml.loadMap(chart.resolve("values.yaml"));
			for (Path valuesFile : chartCase.valuesFiles()) {
				merged = ValuesMerge.coalesce(merged, Yaml.loadMap(valuesFile));
			}
			Yaml.write(copy.resolve("values.yaml"), merged);
			chart = copy;
		}
		return new Helm(chart).lint().strict().call();
	}

	/** helm package into target/charts; returns the archive. */
	public static Path packageChart(String chartName) {
		Path destination = ChartPaths.output().resolve("packages");
		try {
			Files.createDirectories(destination);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		new Helm(ChartPaths.charts().resolve(chartName)).packageIt().withDestination(destination).call();
		try (Stream<Path> files = Files.list(destination)) {
			return files.filter(p -> p.getFileName().toString().matches(chartName + "-\\d.*\\.tgz"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("helm package wrote no archive for " + chartName));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void copyTree(Path source, Path target) {
		try {
			if (Files.exists(target)) {
				try (Stream<Path> old = Files.walk(target)) {
					old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
				}
			}
			try (Stream<Path> files = Files.walk(source)) {
				for (Path file : (Iterable<Path>) files::iterator) {
					Path destination = target.resolve(source.relativize(file).toString());
					if (Files.isDirectory(file)) {
						Files.createDirectories(destination);
					}
					else {
						Files.copy(file, destination);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Values from --set, in order. */
	public static Map<String, Object> set(Object... keysAndValues) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			values.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return values;
	}
}
