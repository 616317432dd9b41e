package dev.notejam.charts.support;

import com.google.gson.Gson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the documentation of a chart's values.yaml: a comment starting with {@code # --} documents the key below
 * it (the helm-docs convention). Builds the README's values table from it.
 */
public final class ValuesDoc {

	public record Entry(String path, String defaultValue, String description) {
	}

	private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(.*)$");

	private ValuesDoc() {
	}

	/** Documented keys, in file order. */
	public static List<Entry> documented(Path valuesFile) {
		List<String> lines = read(valuesFile);
		Map<String, Object> values = Yaml.loadMap(valuesFile);
		List<Entry> entries = new ArrayList<>();
		Deque<int[]> indents = new ArrayDeque<>();
		Deque<String> keys = new ArrayDeque<>();
		StringBuilder description = null;
		for (String line : lines) {
			String trimmed = line.trim();
			if (trimmed.startsWith("# --")) {
				description = new StringBuilder(trimmed.substring(4).trim());
				continue;
			}
			if (trimmed.startsWith("#") && description != null) {
				description.append(' ').append(trimmed.substring(1).trim());
				continue;
			}
			Matcher key = KEY.matcher(line);
			if (!key.matches()) {
				if (!trimmed.isEmpty()) {
					description = null;
				}
				continue;
			}
			int indent = key.group(1).length();
			while (!indents.isEmpty() && indents.peek()[0] >= indent) {
				indents.pop();
				keys.pop();
			}
			indents.push(new int[] { indent });
			keys.push(key.group(2));
			if (description != null) {
				List<String> path = new ArrayList<>(keys);
				java.util.Collections.reverse(path);
				String dotted = String.join(".", path);
				entries.add(new Entry(dotted, render(valueAt(values, path)), description.toString()));
			}
			description = null;
		}
		return entries;
	}

	/** Paths of every leaf of values.yaml (empty maps and lists count as leaves; list items do not). */
	public static List<String> leaves(Path valuesFile) {
		List<String> leaves = new ArrayList<>();
		collect("", Yaml.loadMap(valuesFile), leaves);
		return leaves;
	}

	/** The Markdown table of the documented keys. */
	public static String table(Path valuesFile) {
		StringBuilder table = new StringBuilder("| Key | Default | Description |\n|-----|---------|-------------|\n");
		for (Entry entry : documented(valuesFile)) {
			table.append("| `").append(entry.path()).append("` | `").append(entry.defaultValue().replace("|", "\\|"))
				.append("` | ").append(entry.description().replace("|", "\\|")).append(" |\n");
		}
		return table.toString();
	}

	@SuppressWarnings("unchecked")
	private static void collect(String prefix, Map<String, Object> map, List<String> leaves) {
		map.forEach((key, value) -> {
			String path = prefix.isEmpty() ? key : prefix + "." + key;
			if (value instanceof Map<?, ?> child && !child.isEmpty()) {
				collect(path, (Map<String, Object>) child, leaves);
			}
			else {
				leaves.add(path);
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static Object valueAt(Map<String, Object> values, List<String> path) {
		Object current = values;
		for (String key : path) {
			current = ((Map<String, Object>) current).get(key);
		}
		return current;
	}

	private static String render(Object value) {
		return value == null ? "null" : new Gson().toJson(value instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : value);
	}

	private static List<String> read(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
