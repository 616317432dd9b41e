package dev.notejam.environments.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import org.yaml.snakeyaml.Yaml;

/**
 * What ci/scripts/deploy.sh would install: its --dry-run prints each `helm upgrade --install` with every -f and
 * --set-string it passes, and this renders exactly those (helm-java, Helm as a library; no cluster).
 * helm-java's template leaves hook objects out (the migration Job and its ExternalSecret, the test pod, the dev
 * stores' Secrets), and Helm knows a hook only by its helm.sh/hook annotation, so each chart is rendered from a
 * copy in target/ with that annotation key renamed.
 */
final class DeployedCharts {

    static final String KUBE_VERSION = "v1.30.0";
    private static final String HOOK_KEY = "helm.sh/hook:";
    private static final String RENAMED_HOOK_KEY = "notejam.dev/hook-rendered-by-contract-test:";

    /** One `helm upgrade --install` of the deploy script. */
    record Release(String name, String chart, String namespace, List<String> valuesFiles, Map<String, String> setValues) {
    }

    private DeployedCharts() {
    }

    /** Runs deploy.sh --dry-run with the stack's outputs; returns its output (the printed commands). */
    static String deployDryRun(Path repoRoot, String env, Path outputsFile, Path valuesDir) {
        List<String> command = List.of("bash", "ci/scripts/deploy.sh", "--env", env, "--app-digest", "sha256:" + "a".repeat(64),
                "--backup-digest", "sha256:" + "b".repeat(64), "--terraform-outputs", outputsFile.toString(),
                "--values-dir", valuesDir.toString(), "--dry-run");
        ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("ECR_REGISTRY", "", "EKS_CLUSTER", ""));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("deploy.sh --dry-run failed: " + command + "\n" + output);
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The `helm upgrade --install` commands the dry run printed ("+ " prefix), with their arguments. */
    static List<Release> releases(String dryRunOutput) {
        List<Release> releases = new ArrayList<>();
        for (String line : dryRunOutput.split("\n")) {
            if (!line.startsWith("+ helm upgrade --install ")) {
                continue;
            }
            List<String> args = List.of(line.substring("+ helm upgrade --install ".length()).trim().split(" +"));
            String namespace = null;
            List<String> files = new ArrayList<>();
            Map<String, String> set = new java.util.LinkedHashMap<>();
            for (int i = 2; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--namespace" -> namespace = args.get(++i);
                    case "-f", "--values" -> files.add(args.get(++i));
                    case "--set-string", "--set" -> {
                        String[] pair = args.get(++i).split("=", 2);
                        set.put(pair[0], pair[1]);
                    }
                    case "--timeout", "--history-max" -> i++;
                    default -> {
                        if (!args.get(i).startsWith("--")) {
                            throw new AssertionError("deploy.sh passes an argument the contract test does not know: " + args.get(i));
                        }
                    }
                }
            }
            releases.add(new Release(args.get(0), args.get(1), namespace, files, set));
        }
        return releases;
    }

    /** Renders one release like `helm template` with the same name, namespace, values files and values. */
    static synchronized List<Map<String, Object>> render(Path repoRoot, Path work, Release release) {
        Path chart = hooksRendered(repoRoot.resolve(release.chart()), work.resolve("charts").resolve(release.name()));
        var command = new Helm(chart).template().withName(release.name()).withNamespace(release.namespace())
                .withKubeVersion(KUBE_VERSION);
        for (String file : release.valuesFiles()) {
            Path path = Path.of(file).isAbsolute() ? Path.of(file) : repoRoot.resolve(file);
            command = command.withValuesFile(path);
        }
        for (var entry : release.setValues().entrySet()) {
            command = command.set(entry.getKey(), entry.getValue());
        }
        String manifest = command.call().replace(RENAMED_HOOK_KEY, HOOK_KEY);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(manifest)) {
            if (doc instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                objects.add(object);
            }
        }
        return objects;
    }

    private static synchronized Path hooksRendered(Path chart, Path copy) {
        StackOutputs.deleteTree(copy);
        StackOutputs.copyTree(chart, copy);
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.writeString(file, Files.readString(file).replace(HOOK_KEY, RENAMED_HOOK_KEY));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return copy;
    }
}
