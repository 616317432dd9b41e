package dev.notejam.environments.pipeline;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool a check needs. Missing outside CI: the check says so loudly and is skipped.
 * Missing with CI=true: the check fails (DESIGN.md section 3), because CI installs it (ci/setup.d/60-docker.sh).
 */
final class RequiredTool {

    private RequiredTool() {
    }

    static Path require(String name, String installedBy) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = name + " is not installed (" + installedBy + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + "; CI=true, so this check fails instead of being skipped");
        }
        System.err.println("SKIPPED: " + message + " -- this check did not run");
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
