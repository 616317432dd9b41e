package dev.notejam.backup.config;

import java.util.Map;
import java.util.Optional;

/** Reading the job's settings from its environment: blank counts as unset, values are trimmed. */
public final class EnvironmentVariables {

    private EnvironmentVariables() {
    }

    public static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new SettingsException("environment variable " + name + " is required"));
    }

    public static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
