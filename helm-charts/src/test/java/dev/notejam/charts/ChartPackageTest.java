package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.HelmRunner;
import dev.notejam.charts.support.Yaml;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * helm package for every chart, then proof that each archive is complete: rendered from the .tgz with an
 * environment's values it gives the same objects as the chart directory (a file left out by .helmignore or a
 * broken archive would differ).
 */
class ChartPackageTest {

	static List<String> charts() {
		return ChartCase.CHARTS;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("charts")
	void packagedChartRendersLikeTheSourceForEveryEnvironment(String chart) throws IOException {
		Path archive = HelmRunner.packageChart(chart);
		Map<String, Object> chartYaml = Yaml.loadMap(new ChartCase(chart, null).chartDirectory().resolve("Chart.yaml"));

		assertThat(archive.getFileName().toString()).isEqualTo(chart + "-" + chartYaml.get("version") + ".tgz");
		assertThat(Files.size(archive)).isPositive();
		List<ChartCase> cases = ChartCase.all().stream().filter(c -> c.chart().equals(chart)).toList();
		for (ChartCase chartCase : cases) {
			String fromArchive = HelmRunner.templateArchive(archive, chartCase);
			String fromDirectory = HelmRunner.templateArchive(chartCase.chartDirectory(), chartCase);
			// Both renders leave hooks out (helm-java), so the dev stores' random passwords do not enter the comparison.
			assertThat(fromArchive).as("render of %s from %s", chartCase, archive)
				.isEqualTo(fromDirectory)
				.contains("kind: ");
		}
	}
}
