package dev.notejam.charts.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations handed over by Surefire (see pom.xml), with fallbacks for running a test from an IDE. */
public final class ChartPaths {

	private ChartPaths() {
	}

	public static Path charts() {
		return existing("charts.dir", Path.of("charts"));
	}

	public static Path environments() {
		return existing("environments.dir", Path.of("..", "environments"));
	}

	/** helm_values of the stack's mocked run per environment and chart (written by environments' HelmContractTest). */
	public static Path terraformValues() {
		return existing("terraform.values.dir", Path.of("src", "test", "resources", "values-from-terraform"));
	}

	public static Path output() {
		return Path.of(System.getProperty("charts.output.dir", "target/charts")).toAbsolutePath().normalize();
	}

	private static Path existing(String property, Path fallback) {
		Path path = Path.of(System.getProperty(property, fallback.toString())).toAbsolutePath().normalize();
		if (!Files.isDirectory(path)) {
			throw new IllegalStateException("Directory " + path + " (system property " + property + ") does not exist");
		}
		return path;
	}
}
