package dev.notejam.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the machine-readable output of {@code terraform test -json}: the final status of every run block
 * and the diagnostics (failed assertions, errors) that belong to it.
 */
final class TestRunReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run block: "file/run", its status (pass, fail, error, skip) and what Terraform said about it. */
    record Run(String file, String name, String status, List<String> diagnostics) {
        String displayName() {
            return file.replaceFirst("^tests/", "") + " :: " + name;
        }
    }

    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final List<String> fileDiagnostics = new ArrayList<>();
    private String summary = "";

    static TestRunReport parse(String jsonLines) {
        TestRunReport report = new TestRunReport();
        for (String line : jsonLines.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode message = JSON.readTree(line);
            String type = message.path("type").asString("");
            String file = message.path("@testfile").asString("");
            String run = message.path("@testrun").asString("");
            switch (type) {
                case "test_run" -> {
                    JsonNode testRun = message.path("test_run");
                    String status = testRun.path("status").asString("");
                    Run previous = report.runs.get(file + "/" + run);
                    List<String> diagnostics = previous == null ? new ArrayList<>() : previous.diagnostics();
                    report.runs.put(file + "/" + run, new Run(file, run,
                            status.isEmpty() && previous != null ? previous.status() : status, diagnostics));
                }
                case "diagnostic" -> {
                    JsonNode diagnostic = message.path("diagnostic");
                    String text = diagnostic.path("severity").asString("") + ": " + diagnostic.path("summary").asString("")
                            + "\n" + diagnostic.path("detail").asString("")
                            + snippet(diagnostic);
                    Run target = report.runs.get(file + "/" + run);
                    if (target != null) {
                        target.diagnostics().add(text);
                    }
                    else {
                        report.fileDiagnostics.add(file + ": " + text);
                    }
                }
                case "test_summary" -> report.summary = message.path("@message").asString("");
                default -> {
                }
            }
        }
        return report;
    }

    private static String snippet(JsonNode diagnostic) {
        JsonNode code = diagnostic.path("snippet").path("code");
        return code.isMissingNode() ? "" : "\n  " + diagnostic.path("range").path("filename").asString("") + ":"
                + diagnostic.path("range").path("start").path("line").asInt() + "  " + code.asString("").strip();
    }

    List<Run> runs() {
        return List.copyOf(runs.values());
    }

    List<String> fileDiagnostics() {
        return fileDiagnostics;
    }

    String summary() {
        return summary;
    }
}
