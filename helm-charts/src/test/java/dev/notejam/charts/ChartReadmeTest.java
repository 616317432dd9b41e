package dev.notejam.charts;

import dev.notejam.charts.support.ChartCase;
import dev.notejam.charts.support.ValuesDoc;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value of every chart is explained: each leaf of values.yaml is documented by a "# --" comment on itself or
 * an enclosing key, and the README's values table is exactly the one generated from those comments.
 * To refresh the tables after editing values.yaml: ./mvnw -pl helm-charts verify -Dcharts.readme.update=true
 */
class ChartReadmeTest {

	private static final String START = "<!-- values-table:start (generated from values.yaml by ChartReadmeTest) -->\n";

	private static final String END = "<!-- values-table:end -->";

	static List<String> charts() {
		return ChartCase.CHARTS;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("charts")
	void everyValueIsDocumented(String chart) {
		Path values = new ChartCase(chart, null).chartDirectory().resolve("values.yaml");
		Set<String> documented = ValuesDoc.documented(values)
			.stream()
			.map(ValuesDoc.Entry::path)
			.collect(Collectors.toSet());

		assertThat(ValuesDoc.leaves(values)).as("values of %s without a '# --' description", chart)
			.allMatch(leaf -> documented.stream().anyMatch(d -> leaf.equals(d) || leaf.startsWith(d + ".")),
					"documented by itself or an enclosing key")
			.isNotEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("charts")
	void readmeValuesTableMatchesValuesYaml(String chart) throws IOException {
		Path directory = new ChartCase(chart, null).chartDirectory();
		Path readme = directory.resolve("README.md");
		String text = Files.readString(readme);
		int start = text.indexOf(START);
		int end = text.indexOf(END);
		assertThat(start).as("%s has the values table markers", readme).isNotNegative();
		assertThat(end).isGreaterThan(start);
		String expected = ValuesDoc.table(directory.resolve("values.yaml"));
		String actual = text.substring(start + START.length(), end);

		if (Boolean.getBoolean("charts.readme.update") && !actual.equals(expected)) {
			Files.writeString(readme, text.substring(0, start + START.length()) + expected + text.substring(end));
			actual = expected;
		}
		assertThat(actual).as("values table of %s (refresh with -Dcharts.readme.update=true)", readme)
			.isEqualTo(expected);
	}
}
