package dev.notejam.environments.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Files of the repository the pipeline checks read: found from the module directory, never hard-coded. */
final class RepoFiles {

    private RepoFiles() {
    }

    static Path root() {
        String configured = System.getProperty("notejam.repoRoot");
        Path start = configured != null ? Path.of(configured) : Path.of("");
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(".ci/run")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (with .ci/run) above " + start.toAbsolutePath());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> yaml(Path file) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new IllegalStateException(file + " is not a YAML mapping");
        }
        return (Map<Object, Object>) map;
    }

    static List<Path> list(Path dir, String glob) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileSystem().getPathMatcher("glob:" + glob).matches(f.getFileName()))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Environment names: the directories under environments/ that hold Terraform variables. */
    static List<String> environments() {
        try (Stream<Path> dirs = Files.list(root().resolve("environments"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("platform.tfvars")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
