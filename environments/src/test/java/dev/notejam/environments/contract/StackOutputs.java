package dev.notejam.environments.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.ObjectMapper;

/**
 * The platform stack's outputs for one environment, as Terraform computes them against the mocked AWS provider:
 * {@code terraform test -json -verbose} on tests/helm_contract.tftest.hcl prints the run's state, whose "outputs"
 * member has the shape of {@code terraform output -json} (DESIGN.md section 7). Runs offline through the provider
 * mirror, on a copy of infra-terraform under target/ so that no lock file or state lands in the source tree.
 */
final class StackOutputs {

    private static final String AWS_PROVIDER = "registry.terraform.io/hashicorp/aws/5.100.0";
    private static final long TIMEOUT_MINUTES = 10;

    private StackOutputs() {
    }

    /** Why Terraform cannot run here, or empty. */
    static Optional<String> unavailable() {
        if (binary().isEmpty()) {
            return Optional.of("no terraform binary on PATH (ci/setup.d installs it)");
        }
        if (mirror().isEmpty()) {
            return Optional.of("no provider mirror holding " + AWS_PROVIDER + " (TF_PLUGIN_MIRROR or /opt/tf-plugins)");
        }
        return Optional.empty();
    }

    /** Work directories prepared by this JVM: a copy left by an earlier build may hold older sources. */
    private static final java.util.Set<Path> PREPARED = new java.util.HashSet<>();

    /** Copies the Terraform sources and initialises the stack once per build; returns the stack directory of the copy. */
    static synchronized Path prepare(Path repoRoot, Path work) {
        Path copy = work.resolve("terraform-src");
        Path stack = copy.resolve("stacks/platform");
        if (PREPARED.contains(work.toAbsolutePath()) && Files.isDirectory(stack.resolve(".initialised"))) {
            return stack;
        }
        deleteTree(copy);
        for (String dir : List.of("modules", "stacks", "tests")) {
            copyTree(repoRoot.resolve("infra-terraform").resolve(dir), copy.resolve(dir));
        }
        try {
            Files.writeString(work.resolve("terraformrc"), Files.readString(repoRoot.resolve("infra-terraform/config/terraformrc.template"))
                    .replace("@MIRROR_DIR@", mirror().orElseThrow().toString()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String init = terraform(stack, work, "init", "-backend=false", "-input=false", "-no-color");
        try {
            Files.createDirectories(stack.resolve(".initialised"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (init == null) {
            throw new IllegalStateException("terraform init failed");
        }
        PREPARED.add(work.toAbsolutePath());
        return stack;
    }

    /** The outputs (each {sensitive, type, value}) of the helm_contract run for one environment's tfvars. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Path stack, Path work, Path tfvars) {
        String output = terraform(stack, work, "test", "-json", "-verbose", "-no-color",
                "-filter=tests/helm_contract.tftest.hcl", "-var-file=" + tfvars);
        ObjectMapper json = new ObjectMapper();
        List<String> diagnostics = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            Map<String, Object> message = json.readValue(line, Map.class);
            if ("test_state".equals(message.get("type"))) {
                return (Map<String, Object>) ((Map<String, Object>) message.get("test_state")).get("outputs");
            }
            if ("diagnostic".equals(message.get("type")) || "test_run".equals(message.get("type"))
                    && String.valueOf(message.get("@message")).endsWith("fail")) {
                diagnostics.add(String.valueOf(message.get("@message")) + " " + message.getOrDefault("diagnostic", ""));
            }
        }
        throw new AssertionError("terraform test printed no state for " + tfvars + ":\n" + String.join("\n", diagnostics)
                + "\n" + output.substring(Math.max(0, output.length() - 4000)));
    }

    private static String terraform(Path dir, Path work, String... args) {
        List<String> command = new ArrayList<>(List.of(binary().orElseThrow().toString(), "-chdir=" + dir));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TF_CLI_CONFIG_FILE", work.resolve("terraformrc").toString());
        builder.environment().put("TF_DATA_DIR", work.resolve("terraform-data").toString());
        builder.environment().put("TF_IN_AUTOMATION", "1");
        builder.environment().put("CHECKPOINT_DISABLE", "1");
        try {
            Path log = Files.createTempFile(work, "terraform", ".log");
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("terraform timed out: " + command);
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            if (process.exitValue() != 0 && !args[0].equals("test")) {
                throw new IllegalStateException(command + " -> exit " + process.exitValue() + "\n" + text);
            }
            return text;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static Optional<Path> binary() {
        String explicit = System.getenv("TERRAFORM_BINARY");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(Path.of(explicit));
        }
        return Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(java.io.File.pathSeparator))
                .filter(d -> !d.isBlank()).map(d -> Path.of(d, "terraform")).filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> mirror() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("TF_PLUGIN_MIRROR")).map(Path::of).ifPresent(candidates::add);
        String home = System.getProperty("user.home");
        candidates.addAll(List.of(Path.of("/opt/tf-plugins"), Path.of(home, ".terraform.d", "plugins"),
                Path.of(home, ".local", "share", "terraform", "plugins"), Path.of("/usr/local/share/terraform/plugins"),
                Path.of("/usr/share/terraform/plugins")));
        return candidates.stream().filter(c -> Files.isDirectory(c.resolve(AWS_PROVIDER))).findFirst();
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files.filter(p -> !p.toString().contains("/.terraform"))::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> old = Files.walk(dir)) {
            old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
