package dev.notejam.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local Terraform binary, run offline: providers come from a filesystem mirror found on this machine,
 * written into a CLI configuration under target/ from the checked-in template.
 */
final class Terraform {

    static final String AWS_PROVIDER_VERSION = "5.100.0";
    private static final String AWS_PROVIDER_PATH = "registry.terraform.io/hashicorp/aws/" + AWS_PROVIDER_VERSION;
    private static final long COMMAND_TIMEOUT_MINUTES = 10;

    private final Path binary;
    private final Path cliConfig;
    private final Path dataRoot;

    private Terraform(Path binary, Path cliConfig, Path dataRoot) {
        this.binary = binary;
        this.cliConfig = cliConfig;
        this.dataRoot = dataRoot;
    }

    /** Why Terraform cannot run here, or empty when it can. */
    record Availability(Optional<Terraform> terraform, String problem) {
    }

    static Availability locate(Path sources, Path work) {
        Optional<Path> binary = findBinary();
        if (binary.isEmpty()) {
            return new Availability(Optional.empty(),
                    "no terraform binary on PATH (or TERRAFORM_BINARY); install Terraform >= 1.11 (ci/setup.d/30-terraform.sh)");
        }
        Optional<Path> mirror = findProviderMirror();
        if (mirror.isEmpty()) {
            return new Availability(Optional.empty(), "no filesystem mirror holding " + AWS_PROVIDER_PATH
                    + " (set TF_PLUGIN_MIRROR, or place it under /opt/tf-plugins, ~/.terraform.d/plugins, /usr/share/terraform/plugins)");
        }
        try {
            Files.createDirectories(work);
            String template = Files.readString(sources.resolve("config/terraformrc.template"));
            Path cliConfig = work.resolve("terraformrc");
            Files.writeString(cliConfig, template.replace("@MIRROR_DIR@", mirror.get().toString()));
            return new Availability(Optional.of(new Terraform(binary.get(), cliConfig, work.resolve("data"))), null);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Optional<Path> findBinary() {
        String explicit = System.getenv("TERRAFORM_BINARY");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(Path.of(explicit));
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "terraform"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Well-known mirror locations first, then a bounded search for the provider binary. */
    static Optional<Path> findProviderMirror() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("TF_PLUGIN_MIRROR")).map(Path::of).ifPresent(candidates::add);
        String home = System.getProperty("user.home");
        candidates.addAll(List.of(Path.of("/opt/tf-plugins"), Paths.get(home, ".terraform.d", "plugins"),
                Paths.get(home, ".local", "share", "terraform", "plugins"), Path.of("/usr/local/share/terraform/plugins"),
                Path.of("/usr/share/terraform/plugins")));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate.resolve(AWS_PROVIDER_PATH))) {
                return Optional.of(candidate);
            }
        }
        for (Path root : List.of(Path.of("/opt"), Path.of("/usr/local"), Paths.get(home))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.find(root, 8,
                    (p, attrs) -> p.getFileName().toString().startsWith("terraform-provider-aws_v" + AWS_PROVIDER_VERSION))) {
                Optional<Path> found = files.findFirst();
                if (found.isPresent()) {
                    // <mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_...
                    return Optional.of(found.get().getParent().getParent().getParent().getParent().getParent().getParent());
                }
            }
            catch (IOException | UncheckedIOException ex) {
                // unreadable directory: keep looking elsewhere
            }
        }
        return Optional.empty();
    }

    /** Output of one Terraform command. */
    record Result(List<String> command, int exitCode, String output, long millis) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + " -> exit " + exitCode + " in " + millis + " ms\n" + output;
        }
    }

    /** Runs terraform in dir; TF_DATA_DIR is kept per suite under target/ so that init is reused between builds. */
    Result run(Path dir, String dataKey, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("-chdir=" + dir);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        env.put("TF_DATA_DIR", dataRoot.resolve(dataKey).toString());
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        env.put("CHECKPOINT_DISABLE", "1");
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            Path log = Files.createTempFile("terraform", ".log");
            try (var in = process.getInputStream()) {
                Files.copy(in, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (!process.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("terraform timed out after " + COMMAND_TIMEOUT_MINUTES + " minutes: " + command);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(command, process.exitValue(), output, (System.nanoTime() - start) / 1_000_000);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
