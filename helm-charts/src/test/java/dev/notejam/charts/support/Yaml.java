package dev.notejam.charts.support;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SnakeYAML with duplicate keys refused (Kubernetes rejects them too; plain YAML loaders silently keep the last). */
public final class Yaml {

	private Yaml() {
	}

	private static org.yaml.snakeyaml.Yaml strict() {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		options.setCodePointLimit(16 * 1024 * 1024);
		return new org.yaml.snakeyaml.Yaml(new SafeConstructor(options));
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> loadMap(Path file) {
		try {
			Object loaded = strict().load(Files.readString(file));
			return loaded == null ? new LinkedHashMap<>() : (Map<String, Object>) loaded;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	public static List<Map<String, Object>> loadAll(String yaml) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : strict().loadAll(yaml)) {
			if (document != null) {
				documents.add((Map<String, Object>) document);
			}
		}
		return documents;
	}

	public static void write(Path file, Map<String, Object> values) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		try {
			Files.writeString(file, new org.yaml.snakeyaml.Yaml(options).dump(values));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
