package dev.notejam.charts.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helm's coalescing of a values file over chart defaults: maps merge, anything else replaces, null deletes. */
public final class ValuesMerge {

	private ValuesMerge() {
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> coalesce(Map<String, Object> defaults, Map<String, Object> overrides) {
		Map<String, Object> result = new LinkedHashMap<>(defaults);
		overrides.forEach((key, value) -> {
			Object current = result.get(key);
			if (value == null) {
				result.remove(key);
			}
			else if (value instanceof Map<?, ?> overrideMap && current instanceof Map<?, ?> currentMap) {
				result.put(key, coalesce((Map<String, Object>) currentMap, (Map<String, Object>) overrideMap));
			}
			else {
				result.put(key, value);
			}
		});
		return result;
	}
}
