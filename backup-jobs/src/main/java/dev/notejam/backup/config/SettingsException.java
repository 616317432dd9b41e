package dev.notejam.backup.config;

/** A configuration problem: the message names the variable and how to fix it. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
