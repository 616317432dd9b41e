package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every workflow through GitHub's own parser and model converter (@actions/workflow-parser, installed by
 * ci/setup.d/65-workflow-parser.sh): what GitHub would reject at the first push fails here, beyond the structural
 * checks of {@link WorkflowDefinitionsTest}.
 */
class WorkflowParserTest {

    private static final Path ROOT = RepoFiles.root();
    private static final Path VALIDATOR = ROOT.resolve("ci/workflow-parser/validate.mjs");

    private static ProcessRun validate(List<Path> files) {
        Path node = RequiredTool.require("node", "Node.js >= 20, on this machine kind; actions/setup-node on GitHub");
        if (!Files.isDirectory(ROOT.resolve("ci/workflow-parser/node_modules/@actions/workflow-parser"))) {
            String message = "@actions/workflow-parser is not installed (ci/setup.d/65-workflow-parser.sh)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + "; CI=true, so this check fails instead of being skipped");
            }
            System.err.println("SKIPPED: " + message + " -- this check did not run");
            Assumptions.abort(message);
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), VALIDATOR.toString()));
        files.forEach(f -> command.add(f.toString()));
        return ProcessRun.of(ROOT, Map.of(), 60, command);
    }

    @Test
    void githubsParserAcceptsEveryWorkflow() {
        List<Path> workflows = RepoFiles.list(ROOT.resolve(".github/workflows"), "*.{yml,yaml}");
        assertThat(workflows).hasSizeGreaterThanOrEqualTo(4);
        ProcessRun run = validate(workflows);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.output().lines().filter(l -> l.startsWith("ok "))).as("%s", run).hasSize(workflows.size());
    }

    @Test
    void githubsParserRejectsWhatGithubWouldReject(@TempDir Path dir) throws IOException {
        // an unclosed expression, a key jobs do not have, and a job waiting for a job that does not exist
        Path broken = Files.writeString(dir.resolve("broken.yml"), """
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-24.04
                    timeout: 5
                    steps:
                      - run: echo ${{ vars.REGION }
                """);
        Path missingNeed = Files.writeString(dir.resolve("needs.yml"), """
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-24.04
                    steps:
                      - run: echo build
                  deploy:
                    needs: [build, approve]
                    runs-on: ubuntu-24.04
                    steps:
                      - run: echo deploy
                """);
        ProcessRun run = validate(List.of(broken, missingNeed));
        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        assertThat(run.output()).contains("Unexpected value 'timeout'").contains("The expression is not closed")
                .contains("error " + missingNeed + ":");
    }

    @Test
    void theRehearsalFailsOnAnInputNobodyProvides(@TempDir Path dir) throws IOException {
        validate(List.of()); // node and the parser's node_modules (its yaml package) are there, or the check says why
        // a repository variable the vars file lacks, and an output the images job does not declare
        Path workflow = Files.writeString(dir.resolve("main.yml"), """
                on: push
                jobs:
                  images:
                    runs-on: ubuntu-24.04
                    steps:
                      - run: ci/scripts/verify.sh
                  deploy:
                    needs: images
                    runs-on: ubuntu-24.04
                    env:
                      APP_DIGEST: ${{ needs.images.outputs.app_digest }}
                    steps:
                      - run: ci/scripts/helm-test.sh --env ${{ vars.NOTEJAM_TARGET }}
                """);
        ProcessRun run = ProcessRun.of(ROOT, Map.of(), 120, List.of(RequiredTool.require("node", "Node.js").toString(),
                "ci/workflow-parser/rehearse.mjs", workflow.toString(), "ci/rehearsal-vars.env", dir.toString()));
        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        assertThat(run.output()).contains("+ ./mvnw -B -ntp verify")
                .contains("missing input: deploy env APP_DIGEST: output app_digest of job images is not set")
                .contains("repository variable NOTEJAM_TARGET is not set");
    }
}
