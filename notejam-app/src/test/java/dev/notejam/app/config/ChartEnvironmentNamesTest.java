package dev.notejam.app.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code SPRING_*} variable the notejam chart sets must be Spring's canonical environment form (dots to
 * underscores, dashes dropped) of a property in Spring Boot's configuration metadata. A dashed name such as
 * {@code SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT} is also read as {@code hikari.connection.timeout}: binding it
 * calls {@code HikariDataSource.getConnection()}, and the app fails to start with "the pool is sealed".
 */
class ChartEnvironmentNamesTest {

    private static final Path CHART_TEMPLATES = Path.of("../helm-charts/charts/notejam/templates");
    private static final Pattern ENV_KEY = Pattern.compile("(?m)^\\s*(?:- name:\\s*)?(SPRING_[A-Z0-9_]+)\\s*:?");
    private static final Pattern METADATA_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    @Test
    void everySpringVariableTheChartSetsIsTheCanonicalFormOfAKnownProperty() {
        Set<String> canonical = canonicalEnvironmentNames();
        Set<String> chartNames = springVariablesInChart();

        assertThat(chartNames).as("the chart sets Spring variables (the scan works)")
                .contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT");
        assertThat(canonical).as("the rule refuses the name that stopped the app starting")
                .doesNotContain("SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT");
        assertThat(chartNames).as("SPRING_* names in %s not known to Spring Boot in canonical form", CHART_TEMPLATES)
                .allSatisfy(name -> assertThat(canonical).contains(name));
    }

    private static Set<String> springVariablesInChart() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CHART_TEMPLATES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher matcher = ENV_KEY.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static Set<String> canonicalEnvironmentNames() {
        Set<String> names = new TreeSet<>();
        try {
            for (URL url : Collections.list(ChartEnvironmentNamesTest.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = url.openStream()) {
                    Matcher matcher = METADATA_NAME.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    while (matcher.find()) {
                        names.add(matcher.group(1).replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
