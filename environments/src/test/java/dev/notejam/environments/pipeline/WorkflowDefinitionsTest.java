package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks on .github/workflows/*.yml: what they call exists, nothing uses static keys, deploys are gated. */
class WorkflowDefinitionsTest {

    private static final Path ROOT = RepoFiles.root();
    private static final Pattern SCRIPT = Pattern.compile("(?<![\\w/.-])(\\.ci/run|ci/(?:scripts|setup\\.d|post-verify\\.d)/[\\w./-]+\\.sh)");
    private static final Pattern ENV_ARGUMENT = Pattern.compile("--env\\s+(\"\\$\\w+\"|\\$\\w+|\\$\\{\\{[^}]+}}|[\\w-]+)");
    private static final Pattern MAVEN_MODULES = Pattern.compile("\\s-pl\\s+\"?([\\w,-]+)\"?");
    private static final Pattern MAVEN_PROFILES = Pattern.compile("\\s-P\\s*\"?([\\w,-]+)\"?");
    private static final Pattern LOADTEST_PROFILE = Pattern.compile("-Dloadtest\\.profile=(\\w+)");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b");
    /** GitHub environments holding only the required reviewers of a manual approval: approve-<environment>. */
    static final String APPROVAL_PREFIX = "approve-";
    private static final Pattern SETTING = Pattern.compile("\\$\\{\\{[^}]*?\\b(vars|secrets)\\.(\\w+)");
    private static final Pattern REPO_PATH = Pattern.compile("(?<![\\w/.$-])((?:\\.ci|ci|backup-jobs|notejam-app|environments|infra-terraform|load-tests|helm-charts)/[\\w./-]*[\\w-])");

    static List<Workflow> workflows() {
        List<Workflow> workflows = RepoFiles.list(ROOT.resolve(".github/workflows"), "*.{yml,yaml}").stream()
                .map(Workflow::new)
                .toList();
        assertThat(workflows).as("workflows under .github/workflows").isNotEmpty();
        return workflows;
    }

    private static Workflow workflow(String file) {
        return new Workflow(ROOT.resolve(".github/workflows").resolve(file));
    }

    /** Every `run:` line with its job and step. */
    private record RunLine(Workflow workflow, String jobId, Map<Object, Object> job, Map<Object, Object> step, String line) {
    }

    private static List<RunLine> runLines(Workflow workflow) {
        List<RunLine> lines = new ArrayList<>();
        workflow.jobs().forEach((id, job) -> Workflow.steps(job).forEach(step -> {
            if (step.get("run") != null) {
                lines.add(new RunLine(workflow, id, job, step, step.get("run").toString()));
            }
        }));
        return lines;
    }

    private static Set<String> scriptsCalledBy(String text) {
        Set<String> scripts = new LinkedHashSet<>();
        Matcher matcher = SCRIPT.matcher(text);
        while (matcher.find()) {
            scripts.add(matcher.group(1));
        }
        return scripts;
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void everyReferencedScriptExistsAndIsExecutable(Workflow workflow) {
        Set<String> scripts = new LinkedHashSet<>();
        runLines(workflow).forEach(run -> scripts.addAll(scriptsCalledBy(run.line())));
        assertThat(scripts).as("%s calls scripts in ci/ (thin workflows)", workflow).isNotEmpty();
        for (String script : scripts) {
            Path file = ROOT.resolve(script);
            assertThat(file).as("%s calls %s", workflow, script).isRegularFile();
            assertThat(Files.isExecutable(file)).as("%s is executable", script).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void everyEnvironmentNamedExists(Workflow workflow) {
        List<String> known = RepoFiles.environments();
        assertThat(known).contains("dev", "test", "prod", "prod-dr");
        workflow.jobs().forEach((id, job) -> {
            String environment = Workflow.environment(job);
            if (environment != null) {
                // an approval gate approve-<env> stands for the environment it guards
                List<String> values = workflow.possibleValues(environment.replaceFirst("^" + APPROVAL_PREFIX, ""), job, Map.of());
                assertThat(values).as("%s job %s environment %s resolves", workflow, id, environment).isNotEmpty();
                assertThat(known).as("%s job %s environments", workflow, id).containsAll(values);
            }
        });
        for (RunLine run : runLines(workflow)) {
            Matcher matcher = ENV_ARGUMENT.matcher(run.line());
            while (matcher.find()) {
                List<String> values = workflow.possibleValues(matcher.group(1), run.job(), run.step());
                assertThat(values).as("%s job %s: --env %s resolves", workflow, run.jobId(), matcher.group(1)).isNotEmpty();
                assertThat(known).as("%s job %s: --env %s", workflow, run.jobId(), matcher.group(1)).containsAll(values);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void everyMavenModuleAndProfileNamedExists(Workflow workflow) {
        Set<String> modules = new LinkedHashSet<>();
        Set<String> profiles = new LinkedHashSet<>();
        Matcher moduleTag = Pattern.compile("<module>([^<]+)</module>").matcher(RepoFiles.read(ROOT.resolve("pom.xml")));
        while (moduleTag.find()) {
            modules.add(moduleTag.group(1).strip());
        }
        for (String module : modules) {
            Matcher profileId = Pattern.compile("<profile>\\s*<id>([^<]+)</id>")
                    .matcher(RepoFiles.read(ROOT.resolve(module).resolve("pom.xml")));
            while (profileId.find()) {
                profiles.add(profileId.group(1).strip());
            }
        }
        // The workflow's own lines and the scripts they call, where the Maven command lines live.
        List<String> texts = new ArrayList<>();
        for (RunLine run : runLines(workflow)) {
            texts.add(run.line());
            scriptsCalledBy(run.line()).forEach(script -> texts.add(RepoFiles.read(ROOT.resolve(script))));
        }
        String loadTestSources = loadTestSources();
        for (String text : texts) {
            Matcher named = MAVEN_MODULES.matcher(text);
            while (named.find()) {
                for (String module : named.group(1).split(",")) {
                    assertThat(modules).as("%s names Maven module %s", workflow, module).contains(module.replaceFirst("^[:!]", ""));
                }
            }
            Matcher profile = MAVEN_PROFILES.matcher(text);
            while (profile.find()) {
                for (String id : profile.group(1).split(",")) {
                    assertThat(profiles).as("%s names Maven profile %s", workflow, id).contains(id.replaceFirst("^!", ""));
                }
            }
            Matcher loadProfile = LOADTEST_PROFILE.matcher(text);
            while (loadProfile.find()) {
                assertThat(loadTestSources).as("%s names load-test profile %s", workflow, loadProfile.group(1))
                        .containsIgnoringCase("\"" + loadProfile.group(1) + "\"");
            }
        }
    }

    private static String loadTestSources() {
        try (Stream<Path> files = Files.walk(ROOT.resolve("load-tests/src"))) {
            StringBuilder all = new StringBuilder();
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> all.append(RepoFiles.read(f)));
            return all.toString();
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void noJobUsesStaticAwsKeys(Workflow workflow) {
        String text = RepoFiles.read(workflow.file);
        assertThat(text).as("%s: no access-key inputs, variables or secrets", workflow)
                .doesNotContainIgnoringCase("aws-access-key-id")
                .doesNotContainIgnoringCase("aws-secret-access-key")
                .doesNotContain("AWS_ACCESS_KEY_ID")
                .doesNotContain("AWS_SECRET_ACCESS_KEY")
                .doesNotContain("AWS_SESSION_TOKEN")
                .doesNotContainPattern("secrets\\.AWS_");
        assertThat(AWS_KEY_ID.matcher(text).find()).as("%s contains something shaped like an AWS key id", workflow).isFalse();
        // Where AWS is used, it is through OIDC: a role to assume and the id-token permission.
        workflow.jobs().forEach((id, job) -> Workflow.steps(job).stream()
                .filter(step -> String.valueOf(step.get("uses")).startsWith("aws-actions/configure-aws-credentials"))
                .forEach(step -> {
                    assertThat(Workflow.map(step.get("with"))).as("%s job %s assumes a role", workflow, id)
                            .containsKey("role-to-assume");
                    Object permissions = job.containsKey("permissions") ? job.get("permissions") : workflow.root.get("permissions");
                    assertThat(Workflow.map(permissions).get("id-token")).as("%s job %s may request an OIDC token", workflow, id)
                            .isEqualTo("write");
                }));
    }

    /** The job of main.yml that deploys to an environment (runs deploy.sh in a job with that environment). */
    private static String deployJob(Workflow main, String environment) {
        List<String> ids = main.jobs().entrySet().stream()
                .filter(e -> environment.equals(Workflow.environment(e.getValue())))
                .filter(e -> Workflow.steps(e.getValue()).stream()
                        .anyMatch(s -> String.valueOf(s.get("run")).contains("ci/scripts/deploy.sh --env " + environment)))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(ids).as("main.yml has exactly one job deploying %s", environment).hasSize(1);
        return ids.get(0);
    }

    private static String jobRunning(Workflow workflow, String command) {
        return workflow.jobs().entrySet().stream()
                .filter(e -> Workflow.steps(e.getValue()).stream().anyMatch(s -> String.valueOf(s.get("run")).contains(command)))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError(workflow + " has no job running " + command));
    }

    @Test
    void deploysMoveThroughDevTestProdAndDrInOrderBehindEnvironments() {
        Workflow main = workflow("main.yml");
        assertThat(Workflow.map(main.triggers().get("push")).get("branches")).isEqualTo(List.of("main"));
        String dev = deployJob(main, "dev");
        String test = deployJob(main, "test");
        String prod = deployJob(main, "prod");
        String dr = deployJob(main, "prod-dr");
        String images = jobRunning(main, "ci/scripts/build-images.sh --push");
        String verify = jobRunning(main, "ci/scripts/verify.sh");
        String smoke = jobRunning(main, "ci/scripts/smoke-test.sh --env dev");

        assertThat(main.upstream(dev)).contains(images, verify);
        // the smoke test runs in dev's deploy job, after helm test, with the outputs deploy.sh read there
        assertThat(smoke).as("the smoke test runs in the job that deployed dev").isEqualTo(dev);
        List<String> devRuns = Workflow.steps(main.jobs().get(dev)).stream()
                .map(s -> String.valueOf(s.get("run"))).filter(r -> !r.equals("null")).toList();
        assertThat(indexOf(devRuns, "ci/scripts/smoke-test.sh")).isGreaterThan(indexOf(devRuns, "ci/scripts/helm-test.sh"));
        assertThat(main.upstream(test)).as("test waits for dev and its smoke test").contains(dev);
        assertThat(main.upstream(prod)).as("prod waits for test").contains(test, dev);
        assertThat(main.upstream(dr)).as("the DR region follows prod").contains(prod);
        // Pre-deploy backup before each primary deploy, helm test after each deploy, in that order.
        for (String job : List.of(dev, test, prod)) {
            List<String> runs = Workflow.steps(main.jobs().get(job)).stream()
                    .map(s -> String.valueOf(s.get("run"))).filter(r -> !r.equals("null")).toList();
            int backup = indexOf(runs, "ci/scripts/predeploy-backup.sh");
            int deploy = indexOf(runs, "ci/scripts/deploy.sh");
            int helmTest = indexOf(runs, "ci/scripts/helm-test.sh");
            assertThat(backup).as("%s takes a pre-deploy backup", job).isGreaterThanOrEqualTo(0).isLessThan(deploy);
            assertThat(helmTest).as("%s runs helm test after the deploy", job).isGreaterThan(deploy);
        }
    }

    @Test
    void everyDeployInstallsItsEnvironmentsAddOnLayerFirstWithTheToolsItNeeds() {
        Workflow main = workflow("main.yml");
        for (String environment : RepoFiles.environments()) {
            String job = deployJob(main, environment);
            List<Map<Object, Object>> steps = Workflow.steps(main.jobs().get(job));
            List<String> runs = steps.stream().map(s -> String.valueOf(s.get("run"))).toList();
            List<String> uses = steps.stream().map(s -> String.valueOf(s.get("uses"))).toList();
            int addOns = indexOf(runs, "ci/scripts/install-addons.sh --env " + environment);
            assertThat(addOns).as("%s installs the add-on layer of %s", job, environment).isGreaterThanOrEqualTo(0)
                    .isLessThan(indexOf(runs, "ci/scripts/deploy.sh --env " + environment));
            // install.sh reads addon_layer with terraform, installs with helm, reaches the cluster with the job's role
            for (String action : List.of("hashicorp/setup-terraform@", "azure/setup-helm@", "aws-actions/configure-aws-credentials@")) {
                int setUp = indexOf(uses, action);
                assertThat(setUp).as("%s sets up %s before the add-on layer", job, action).isGreaterThanOrEqualTo(0).isLessThan(addOns);
            }
        }
        // the script takes the stack's output addon_layer, not a copy: its dry run names the output it reads
        ProcessRun dryRun = ProcessRun.of(ROOT, Map.of(), 120, List.of("bash", "ci/scripts/install-addons.sh", "--env", "dev",
                "--terraform-outputs", "/nonexistent/outputs.json", "--dry-run"));
        assertThat(dryRun.exitCode()).isNotZero();
        assertThat(dryRun.output()).contains("--terraform-outputs: no file /nonexistent/outputs.json");
        assertThat(RepoFiles.read(ROOT.resolve("ci/scripts/install-addons.sh"))).contains(".addon_layer.value")
                .contains("infra-terraform/cluster-addons/install.sh");
    }

    private static int indexOf(List<String> runs, String command) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).contains(command)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyStageDeploysTheDigestsBuiltOnce() {
        Workflow main = workflow("main.yml");
        long builds = runLines(main).stream().filter(r -> r.line().contains("build-images.sh")).count();
        assertThat(builds).as("images are built once per pipeline, then promoted").isEqualTo(1);
        for (RunLine run : runLines(main)) {
            if (run.line().contains("ci/scripts/deploy.sh") || run.line().contains("ci/scripts/promote-image.sh")) {
                for (String flag : List.of("--app-digest", "--backup-digest")) {
                    Matcher value = Pattern.compile(flag + "\\s+(\\S+)").matcher(run.line());
                    assertThat(value.find()).as("%s passes %s", run.jobId(), flag).isTrue();
                    assertThat(main.possibleValues(value.group(1), run.job(), run.step()))
                            .as("%s %s comes from the images job's outputs", run.jobId(), flag)
                            .singleElement().asString().matches("\\$\\{\\{\\s*needs\\.images\\.outputs\\.\\w+_digest\\s*}}");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void jobsThatChangeAnEnvironmentNeverOverlap(Workflow workflow) {
        workflow.jobs().forEach((id, job) -> {
            boolean changes = Workflow.steps(job).stream().map(s -> String.valueOf(s.get("run")))
                    .anyMatch(r -> r.contains("deploy.sh") || r.contains("rollback.sh") || r.contains("terraform-apply.sh"));
            if (!changes) {
                return;
            }
            Map<Object, Object> concurrency = Workflow.map(job.containsKey("concurrency") ? job.get("concurrency") : workflow.root.get("concurrency"));
            assertThat(concurrency).as("%s job %s has a concurrency group", workflow, id).containsKey("group");
            assertThat(concurrency.get("cancel-in-progress")).as("%s job %s queues instead of cancelling a running change", workflow, id)
                    .isEqualTo(false);
            String group = concurrency.get("group").toString();
            String environment = Workflow.environment(job);
            assertThat(environment).as("%s job %s changes an environment, so it names it (protection rules apply)", workflow, id).isNotNull();
            assertThat(group).as("%s job %s: one group per environment", workflow, id)
                    .satisfiesAnyOf(g -> assertThat(g).contains(environment), g -> assertThat(g).contains("inputs.environment"));
        });
    }

    @Test
    void rollbackSharesTheDeployGroupOfEachEnvironment() {
        Workflow main = workflow("main.yml");
        Workflow rollback = workflow("rollback.yml");
        Map<Object, Object> job = rollback.jobs().values().iterator().next();
        String template = Workflow.map(job.get("concurrency")).get("group").toString();
        for (String environment : rollback.possibleValues("${{ inputs.environment }}", job, Map.of())) {
            String group = template.replaceAll("\\$\\{\\{\\s*inputs\\.environment\\s*}}", environment);
            Object deployGroup = Workflow.map(main.jobs().get(deployJob(main, environment)).get("concurrency")).get("group");
            assertThat(group).as("rollback of %s waits for a deploy of %s", environment, environment).isEqualTo(deployGroup);
        }
        assertThat(rollback.possibleValues("${{ inputs.environment }}", job, Map.of()))
                .containsExactlyInAnyOrderElementsOf(RepoFiles.environments());
    }

    @Test
    void pullRequestsPlanEveryEnvironmentAndBuildScanAndDescribeImages() {
        Workflow pr = workflow("pull-request.yml");
        String plan = jobRunning(pr, "ci/scripts/terraform-plan.sh");
        RunLine planLine = runLines(pr).stream().filter(r -> r.jobId().equals(plan) && r.line().contains("terraform-plan.sh"))
                .findFirst().orElseThrow();
        Matcher env = ENV_ARGUMENT.matcher(planLine.line());
        assertThat(env.find()).isTrue();
        assertThat(pr.possibleValues(env.group(1), planLine.job(), planLine.step()))
                .containsExactlyInAnyOrderElementsOf(RepoFiles.environments());
        for (String command : List.of("ci/scripts/verify.sh", "ci/scripts/chart-check.sh", "ci/scripts/terraform-check.sh",
                "ci/scripts/build-images.sh --tar", "ci/scripts/scan-image.sh")) {
            jobRunning(pr, command);
        }
    }

    @Test
    void terraformApplyWaitsForAnApprovedEnvironmentAndAppliesThePlan() {
        Workflow apply = workflow("terraform-apply.yml");
        String applyJob = jobRunning(apply, "ci/scripts/terraform-apply.sh");
        String planJob = jobRunning(apply, "ci/scripts/terraform-plan.sh");
        assertThat(Workflow.environment(apply.jobs().get(applyJob))).isNotNull();
        assertThat(apply.upstream(applyJob)).contains(planJob);
        assertThat(apply.triggers()).containsOnlyKeys("workflow_dispatch");
    }

    /** Every step of a job, in order, as "uses" or "run" text. */
    private static List<String> stepTexts(Map<Object, Object> job) {
        return Workflow.steps(job).stream().map(s -> s.get("run") != null ? "run: " + s.get("run") : "uses: " + s.get("uses")).toList();
    }

    private static int firstStep(List<String> steps, String text) {
        return indexOf(steps, text);
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void jobsThatRunTheTestsInstallTerraformWithItsProvidersAndEveryTool(Workflow workflow) {
        workflow.jobs().forEach((id, job) -> {
            List<String> steps = stepTexts(job);
            int verify = firstStep(steps, "ci/scripts/verify.sh");
            if (verify < 0) {
                return;
            }
            // CI=true on GitHub too: the Terraform suite fails, not skips, without Terraform and the AWS provider.
            int terraform = firstStep(steps, "uses: hashicorp/setup-terraform@");
            int mirror = firstStep(steps, "ci/scripts/terraform-provider-mirror.sh");
            int tools = firstStep(steps, "ci/scripts/setup-tools.sh");
            assertThat(terraform).as("%s job %s installs Terraform before the tests", workflow, id).isBetween(0, verify);
            assertThat(mirror).as("%s job %s mirrors the AWS provider after installing Terraform", workflow, id).isBetween(terraform, verify);
            assertThat(tools).as("%s job %s runs every ci/setup.d step before the tests", workflow, id).isBetween(0, verify);
            assertThat(firstStep(steps, "uses: actions/setup-node@")).as("%s job %s has Node.js for the workflow parser", workflow, id)
                    .isBetween(0, tools);
        });
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void everyImageBuildHasItsBackupBaseBuiltFirst(Workflow workflow) {
        workflow.jobs().forEach((id, job) -> {
            List<String> steps = stepTexts(job);
            int build = firstStep(steps, "ci/scripts/build-images.sh");
            if (build >= 0) {
                // notejam-backup-base is in no registry: the job builds it into its own engine
                assertThat(firstStep(steps, "ci/scripts/backup-base-image.sh")).as("%s job %s builds the backup base before the images", workflow, id)
                        .isBetween(0, build);
            }
        });
    }

    @Test
    void theDigestsThatArePushedAreTheDigestsThatAreScanned() {
        Workflow main = workflow("main.yml");
        String images = jobRunning(main, "ci/scripts/build-images.sh --push");
        List<String> steps = stepTexts(main.jobs().get(images));
        int build = firstStep(steps, "ci/scripts/build-images.sh --push");
        int scan = firstStep(steps, "ci/scripts/scan-image.sh --images-env target/images.env");
        assertThat(scan).as("main.yml scans the pushed digests (target/images.env) in the images job").isGreaterThan(build);
        assertThat(RepoFiles.read(ROOT.resolve("ci/scripts/build-images.sh"))).as("build-images.sh writes what the scan reads")
                .contains("tee target/images.env");
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void noTerraformPlanLeavesTheRunner(Workflow workflow) {
        workflow.jobs().forEach((id, job) -> Workflow.steps(job).forEach(step -> {
            String uses = String.valueOf(step.get("uses"));
            if (uses.startsWith("actions/upload-artifact") || uses.startsWith("actions/download-artifact")) {
                String with = String.valueOf(step.get("with"));
                // a plan file holds every secret value of the plan in clear
                assertThat(with).as("%s job %s moves a Terraform plan as an artifact", workflow, id)
                        .doesNotContainIgnoringCase("tfplan").doesNotContain("target/terraform");
            }
        }));
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void waitingForAnApprovalHoldsNoConcurrencyGroup(Workflow workflow) {
        boolean hasEnvironments = workflow.jobs().values().stream().anyMatch(job -> Workflow.environment(job) != null);
        if (hasEnvironments) {
            // a workflow-level group is held by the whole run, approvals included
            assertThat(workflow.root).as("%s: no workflow-level concurrency next to approvals", workflow).doesNotContainKey("concurrency");
        }
        workflow.jobs().forEach((id, job) -> {
            String environment = Workflow.environment(job);
            if (environment != null && environment.startsWith(APPROVAL_PREFIX)) {
                assertThat(job).as("%s approval job %s holds no concurrency group", workflow, id).doesNotContainKey("concurrency");
                assertThat(Workflow.steps(job)).as("%s approval job %s changes nothing", workflow, id)
                        .allSatisfy(step -> assertThat(String.valueOf(step.get("run"))).doesNotContain("ci/scripts/"));
            }
        });
    }

    @Test
    void everyDeployBeyondDevAndEveryApplyWaitsForItsApprovalGate() {
        Workflow main = workflow("main.yml");
        for (String environment : List.of("test", "prod", "prod-dr")) {
            String deploy = deployJob(main, environment);
            assertThat(main.upstream(deploy).stream().map(j -> Workflow.environment(main.jobs().get(j))))
                    .as("deploy to %s waits for approve-%s", environment, environment).contains(APPROVAL_PREFIX + environment);
            assertThat(Workflow.environment(main.jobs().get(deploy))).as("the deploy job itself is in %s", environment).isEqualTo(environment);
        }
        Workflow apply = workflow("terraform-apply.yml");
        String applyJob = jobRunning(apply, "ci/scripts/terraform-apply.sh");
        assertThat(apply.upstream(applyJob).stream().map(j -> Workflow.environment(apply.jobs().get(j))))
                .contains(APPROVAL_PREFIX + "${{ inputs.environment }}");
        // the apply checks it applies the plan the reviewers saw
        assertThat(apply.jobs().get(applyJob).toString()).contains("needs.plan.outputs.plan_sha256");
        assertThat(stepTexts(apply.jobs().get(applyJob))).anyMatch(s -> s.contains("--reviewed-plan-sha256"));
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void awsCredentialsAreForTheHomeRegionTheScriptsFindTheOthers(Workflow workflow) {
        workflow.jobs().forEach((id, job) -> Workflow.steps(job).stream()
                .filter(step -> String.valueOf(step.get("uses")).startsWith("aws-actions/configure-aws-credentials"))
                .forEach(step -> assertThat(String.valueOf(Workflow.map(step.get("with")).get("aws-region")))
                        // promote-image.sh copies from the registry's region; a DR region here made it wait on the wrong registry
                        .as("%s job %s: credentials region", workflow, id).isEqualTo("${{ vars.AWS_REGION }}")));
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void everyVariableSecretAndEnvironmentIsInTheSettingsTheDocsList(Workflow workflow) {
        String settings = githubSettings();
        Matcher setting = SETTING.matcher(RepoFiles.read(workflow.file));
        while (setting.find()) {
            assertThat(settings).as("%s uses %s.%s: the GitHub settings in docs/containers-and-pipelines.md name it", workflow,
                    setting.group(1), setting.group(2)).contains("`" + setting.group(2) + "`");
        }
        workflow.jobs().forEach((id, job) -> {
            String environment = Workflow.environment(job);
            if (environment != null) {
                for (String value : workflow.possibleValues(environment.replaceFirst("^" + APPROVAL_PREFIX, ""), job, Map.of())) {
                    String name = environment.startsWith(APPROVAL_PREFIX) ? APPROVAL_PREFIX + value : value;
                    assertThat(settings).as("%s job %s: GitHub environment %s is documented", workflow, id, name).contains("`" + name + "`");
                }
            }
        });
    }

    /** The "GitHub settings" paragraph of docs/containers-and-pipelines.md: what a first install must create. */
    private static String githubSettings() {
        String docs = RepoFiles.read(ROOT.resolve("docs/containers-and-pipelines.md"));
        int start = docs.indexOf("GitHub settings the workflows expect");
        assertThat(start).as("docs/containers-and-pipelines.md lists the GitHub settings").isNotNegative();
        int end = docs.indexOf("\n\n", start);
        return docs.substring(start, end < 0 ? docs.length() : end);
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void everyRepositoryFileAJobNamesExists(Workflow workflow) {
        workflow.jobs().forEach((id, job) -> {
            Matcher path = REPO_PATH.matcher(job.toString());
            while (path.find()) {
                String file = path.group(1);
                if (file.contains("/target/") || file.startsWith("target/")) {
                    continue;
                }
                assertThat(ROOT.resolve(file)).as("%s job %s names %s", workflow, id, file).exists();
            }
        });
    }

    @Test
    void theSmokeTestReadsTheOutputsFileDeployWroteInTheSameJob() {
        Workflow main = workflow("main.yml");
        RunLine smoke = runLines(main).stream().filter(r -> r.line().contains("ci/scripts/smoke-test.sh")).findFirst().orElseThrow();
        Matcher file = Pattern.compile("--terraform-outputs\\s+(\\S+)").matcher(smoke.line());
        assertThat(file.find()).as("the smoke step names the Terraform outputs file").isTrue();
        // where deploy.sh writes `terraform output -json` for dev (its dry run says so)
        ProcessRun deploy = ProcessRun.of(ROOT, Map.of("ECR_REGISTRY", "", "AWS_REGION", ""), 60, List.of("bash", "ci/scripts/deploy.sh",
                "--env", "dev", "--app-digest", "sha256:" + "a".repeat(64), "--backup-digest", "sha256:" + "b".repeat(64), "--dry-run"));
        assertThat(deploy.exitCode()).as("%s", deploy).isZero();
        assertThat(deploy.output()).as("%s", deploy).contains("output -json > " + ROOT.resolve(file.group(1)));
        assertThat(Workflow.steps(main.jobs().get(smoke.jobId())).stream().map(s -> String.valueOf(s.get("run"))))
                .anyMatch(r -> r.contains("ci/scripts/deploy.sh --env dev"));
    }
}
