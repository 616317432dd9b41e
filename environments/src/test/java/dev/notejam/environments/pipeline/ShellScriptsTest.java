package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** shellcheck on every script .ci/run reaches: .ci/run itself and everything under ci/ (setup, post-verify, scripts). */
class ShellScriptsTest {

    private static final Path ROOT = RepoFiles.root();

    static List<Path> scripts() {
        List<Path> scripts = new ArrayList<>();
        scripts.add(ROOT.resolve(".ci/run"));
        try (Stream<Path> files = Files.walk(ROOT.resolve("ci"))) {
            files.filter(f -> f.toString().endsWith(".sh")).sorted().forEach(scripts::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scripts;
    }

    @Test
    void everyCiScriptPassesShellcheck() {
        Path shellcheck = RequiredTool.require("shellcheck", "Debian package shellcheck, installed by ci/setup.d/60-docker.sh");
        List<Path> scripts = scripts();
        assertThat(scripts).hasSizeGreaterThan(10);
        // Plain shellcheck, as a developer or an editor runs it: a sourced library without a shebang must say
        // which shell reads it (`# shellcheck shell=bash`), or shellcheck stops at SC2148.
        List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--external-sources", "--severity=warning", "--format=gcc"));
        scripts.forEach(s -> command.add(ROOT.relativize(s).toString()));
        ProcessRun run = ProcessRun.of(ROOT, Map.of(), 120, command);
        assertThat(run.exitCode()).as("shellcheck findings (warning and above) in %d scripts:%n%s", scripts.size(), run.output()).isZero();
    }

    @Test
    void everySourcedLibraryDeclaresItsShell() {
        List<Path> libraries = RepoFiles.list(ROOT.resolve("ci/scripts/lib"), "*.sh");
        assertThat(libraries).isNotEmpty();
        for (Path library : libraries) {
            assertThat(declaresShell(library)).as("%s has a shebang or `# shellcheck shell=bash`", ROOT.relativize(library)).isTrue();
        }
    }

    private static boolean declaresShell(Path script) {
        String text = RepoFiles.read(script);
        return text.startsWith("#!") || text.contains("# shellcheck shell=");
    }

    @Test
    void pipelineScriptsAreExecutableBashWithStrictMode() {
        List<Path> scripts = RepoFiles.list(ROOT.resolve("ci/scripts"), "*.sh");
        assertThat(scripts).isNotEmpty();
        for (Path script : scripts) {
            String text = RepoFiles.read(script);
            assertThat(Files.isExecutable(script)).as("%s is executable", ROOT.relativize(script)).isTrue();
            assertThat(text).as("%s runs under bash", ROOT.relativize(script)).startsWith("#!/usr/bin/env bash");
            assertThat(text).as("%s stops on the first error", ROOT.relativize(script)).contains("set -euo pipefail");
        }
    }
}
