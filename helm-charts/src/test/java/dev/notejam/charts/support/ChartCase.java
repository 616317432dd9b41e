package dev.notejam.charts.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One chart rendered with one environment's values file, or with its own defaults when {@code environment} is null.
 * Release names and the namespace are the ones the deploy pipeline uses.
 */
public record ChartCase(String chart, String environment) {

	public static final String NAMESPACE = "notejam";

	public static final List<String> ENVIRONMENTS = List.of("dev", "test", "prod", "prod-dr");

	public static final List<String> CHARTS = List.of("notejam", "notejam-backup", "postgres-dev", "redis-dev");

	/** The release name; equal to the chart name, so object names are the chart names (postgres-dev, notejam, ...). */
	public String release() {
		return chart;
	}

	public Path chartDirectory() {
		return ChartPaths.charts().resolve(chart);
	}

	/** The environment's values file of this chart, or null for chart defaults and for the dev-only data-store charts. */
	public Path valuesFile() {
		if (environment == null) {
			return null;
		}
		String fileName = switch (chart) {
			case "notejam" -> "notejam.values.yaml";
			case "notejam-backup" -> "backup.values.yaml";
			default -> null;
		};
		if (fileName == null) {
			return null;
		}
		Path file = ChartPaths.environments().resolve(environment).resolve(fileName);
		return "prod-dr".equals(environment) && chart.equals("notejam") ? promoted(file) : file;
	}

	/**
	 * prod-dr's app stands by with zero pods while its database replicates prod (lines marked STAND-BY, issue 18);
	 * these tests check the shape it serves in after promotion, made the way ci/scripts/dr-failover.sh --step
	 * mark-promoted makes it. load-tests' StandbyModeTest checks the stand-by shape and that script.
	 */
	private static Path promoted(Path file) {
		try {
			String text = java.nio.file.Files.readString(file)
				.replaceAll("(?m)^replicaCount: 0  # STAND-BY\\n", "")
				.replaceAll("(?m)^(\\s*enabled: )false  # STAND-BY$", "$1true");
			Path copy = java.nio.file.Files.createTempFile("prod-dr-promoted-", ".values.yaml");
			copy.toFile().deleteOnExit();
			return java.nio.file.Files.writeString(copy, text);
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	/**
	 * What ci/scripts/deploy.sh passes after the environment's file: the Terraform stack's output helm_values for this
	 * chart, as the stack's mocked run produces it. environments' HelmContractTest regenerates it from that run and
	 * fails when this copy differs, so it is never edited by hand. Null for chart defaults and the dev-only charts.
	 */
	public Path terraformValuesFile() {
		if (environment == null || !(chart.equals("notejam") || chart.equals("notejam-backup"))) {
			return null;
		}
		return ChartPaths.terraformValues().resolve(environment).resolve(chart + ".values-from-terraform.json");
	}

	/** The values files in the order deploy.sh passes them with -f. */
	public List<Path> valuesFiles() {
		List<Path> files = new ArrayList<>();
		if (valuesFile() != null) {
			files.add(valuesFile());
		}
		if (terraformValuesFile() != null) {
			files.add(terraformValuesFile());
		}
		return files;
	}

	public boolean isProductionLike() {
		return "prod".equals(environment) || "prod-dr".equals(environment);
	}

	@Override
	public String toString() {
		return chart + " @ " + (environment == null ? "chart defaults" : environment);
	}

	/** Every chart with its defaults and with each environment that installs it. Dev data stores exist only in dev. */
	public static List<ChartCase> all() {
		List<ChartCase> cases = new ArrayList<>();
		for (String chart : CHARTS) {
			cases.add(new ChartCase(chart, null));
			for (String environment : ENVIRONMENTS) {
				// Every environment installs the app and the backups (a missing values file fails the render);
				// the data-store charts exist for dev only.
				if (!chart.endsWith("-dev") || environment.equals("dev")) {
					cases.add(new ChartCase(chart, environment));
				}
			}
		}
		return cases;
	}

	public static List<ChartCase> environmentsOf(String chart) {
		return all().stream().filter(c -> c.chart.equals(chart) && c.environment != null).toList();
	}
}
