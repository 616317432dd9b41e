package dev.notejam.environments.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed GitHub Actions workflow with the few questions the pipeline checks ask of it. */
final class Workflow {

    private static final Pattern EXPRESSION = Pattern.compile("^\\$\\{\\{\\s*(inputs|matrix|github\\.event\\.inputs)\\.([\\w-]+)\\s*}}$");
    private static final Pattern SHELL_VARIABLE = Pattern.compile("^\\$\\{?(\\w+)}?$");

    final Path file;
    final Map<Object, Object> root;

    Workflow(Path file) {
        this.file = file;
        this.root = RepoFiles.yaml(file);
    }

    String name() {
        return file.getFileName().toString();
    }

    /** YAML 1.1 reads the key {@code on} as the boolean true. */
    Map<Object, Object> triggers() {
        Object on = root.containsKey("on") ? root.get("on") : root.get(Boolean.TRUE);
        return on instanceof Map<?, ?> ? map(on) : Map.of();
    }

    Map<String, Map<Object, Object>> jobs() {
        Map<String, Map<Object, Object>> jobs = new LinkedHashMap<>();
        map(root.get("jobs")).forEach((id, job) -> jobs.put(id.toString(), map(job)));
        return jobs;
    }

    static List<Map<Object, Object>> steps(Map<Object, Object> job) {
        List<Map<Object, Object>> steps = new ArrayList<>();
        if (job.get("steps") instanceof List<?> list) {
            list.forEach(step -> steps.add(map(step)));
        }
        return steps;
    }

    static List<String> needs(Map<Object, Object> job) {
        Object needs = job.get("needs");
        if (needs instanceof List<?> list) {
            return list.stream().map(Object::toString).toList();
        }
        return needs == null ? List.of() : List.of(needs.toString());
    }

    /** Jobs this job waits for, directly or through other jobs. */
    Set<String> upstream(String jobId) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(needs(jobs().get(jobId)));
        while (!queue.isEmpty()) {
            String next = queue.remove(0);
            if (seen.add(next) && jobs().containsKey(next)) {
                queue.addAll(needs(jobs().get(next)));
            }
        }
        return seen;
    }

    /** The job's environment name (plain or {@code environment: {name: ...}}), or null. */
    static String environment(Map<Object, Object> job) {
        Object environment = job.get("environment");
        if (environment instanceof Map<?, ?> map) {
            Object name = map.get("name");
            return name == null ? null : name.toString();
        }
        return environment == null ? null : environment.toString();
    }

    /**
     * What a value in a job may stand for: a literal is itself; {@code ${{ inputs.x }}} the choice options of
     * that workflow_dispatch input; {@code ${{ matrix.x }}} the matrix values; {@code "$VAR"} whatever the
     * step, job or workflow environment gives VAR.
     */
    List<String> possibleValues(String value, Map<Object, Object> job, Map<Object, Object> step) {
        String trimmed = value.strip().replaceAll("^\"|\"$", "");
        Matcher shell = SHELL_VARIABLE.matcher(trimmed);
        if (shell.matches()) {
            for (Object scope : new Object[] {step.get("env"), job.get("env"), root.get("env")}) {
                if (scope instanceof Map<?, ?> env && env.containsKey(shell.group(1))) {
                    return possibleValues(String.valueOf(env.get(shell.group(1))), job, step);
                }
            }
            return List.of();
        }
        Matcher expression = EXPRESSION.matcher(trimmed);
        if (expression.matches()) {
            String kind = expression.group(1);
            String key = expression.group(2);
            if (kind.equals("matrix")) {
                Object matrix = map(job.getOrDefault("strategy", Map.of())).get("matrix");
                return matrix == null ? List.of() : strings(map(matrix).get(key));
            }
            Object dispatch = triggers().get("workflow_dispatch");
            Object inputs = dispatch instanceof Map<?, ?> d ? d.get("inputs") : null;
            Object input = inputs instanceof Map<?, ?> i ? i.get(key) : null;
            return input instanceof Map<?, ?> in ? strings(in.get("options")) : List.of();
        }
        // a literal, or an expression this class cannot expand (kept as is, so checks can show it)
        return List.of(trimmed);
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<Object, Object>) map : Map.of();
    }

    static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    @Override
    public String toString() {
        return name();
    }
}
