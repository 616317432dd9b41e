package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every ci/scripts/*.sh in its documented --dry-run mode: the script must accept its arguments, validate
 * them against the repository (environments, digests) and print the commands it would run.
 */
class ScriptDryRunTest {

    private static final Path ROOT = RepoFiles.root();
    private static final String APP_DIGEST = "sha256:" + "a".repeat(64);
    private static final String BACKUP_DIGEST = "sha256:" + "b".repeat(64);

    record DryRun(String script, List<String> args, List<String> expected) {
        @Override
        public String toString() {
            return script + " " + String.join(" ", args);
        }
    }

    private static DryRun dryRun(String script, List<String> args, String... expected) {
        return new DryRun(script, args, List.of(expected));
    }

    static Stream<DryRun> dryRuns() {
        return Stream.of(
                dryRun("verify.sh", List.of(), "+ ./mvnw -B -ntp verify"),
                dryRun("chart-check.sh", List.of(),
                        "lint --strict helm-charts/charts/notejam -f environments/prod/notejam.values.yaml",
                        "template notejam-backup helm-charts/charts/notejam-backup -n notejam -f environments/prod-dr/backup.values.yaml"),
                dryRun("terraform-check.sh", List.of(), "+ terraform fmt -check -recursive infra-terraform",
                        "+ terraform -chdir=infra-terraform/stacks/platform validate"),
                dryRun("terraform-plan.sh", List.of("--env", "prod"),
                        "-backend-config=" + ROOT + "/environments/prod/backend.hcl",
                        "plan -input=false -lock=false -var-file=" + ROOT + "/environments/prod/platform.tfvars",
                        "show -no-color " + ROOT + "/target/terraform/prod.tfplan"),
                dryRun("terraform-apply.sh", List.of("--env", "test", "--plan", "target/terraform/test.tfplan"),
                        "-backend-config=" + ROOT + "/environments/test/backend.hcl",
                        "apply -input=false -lock-timeout=5m target/terraform/test.tfplan"),
                dryRun("terraform-apply.sh", List.of("--env", "prod", "--reviewed-plan-sha256", "c".repeat(64)),
                        "plan -input=false -lock-timeout=5m -var-file=" + ROOT + "/environments/prod/platform.tfvars",
                        "apply -input=false -lock-timeout=5m /"),
                dryRun("terraform-provider-mirror.sh", List.of("--dir", "/tmp/tf-plugins"),
                        "+ terraform -chdir=infra-terraform/stacks/platform init -backend=false",
                        "providers mirror -platform=linux_amd64 /tmp/tf-plugins"),
                dryRun("setup-tools.sh", List.of(), "+ bash ci/setup.d/30-terraform.sh", "+ bash ci/setup.d/60-docker.sh"),
                dryRun("backup-base-image.sh", List.of(), "docker build --pull --tag notejam-backup-base:", "backup-jobs/src/main/docker/base"),
                dryRun("build-images.sh", List.of("--push"), "jib:build", "-Dimage.registry=111122223333.dkr.ecr.eu-west-1.amazonaws.com/",
                        "APP_IMAGE=111122223333.dkr.ecr.eu-west-1.amazonaws.com/notejam-app@sha256:"),
                dryRun("build-images.sh", List.of("--push", "--fast-start"), "jib:build",
                        "ci/scripts/fast-start-image.sh --image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/notejam-app:",
                        "docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/notejam-app:", "-fast\n",
                        "APP_DEFAULT_DIGEST=sha256:"),
                dryRun("build-images.sh", List.of("--tar"), "package jib:buildTar", "-Dbackup.base.image=docker://notejam-backup-base:"),
                // the backup base's real recipe on a stand-in of eclipse-temurin:25-jre (Ubuntu noble + the local JRE 25)
                dryRun("temurin-standin-image.sh", List.of(), "debootstrap --variant=minbase --include=ca-certificates noble",
                        "/usr/share/debootstrap/scripts/gutsy"),
                dryRun("backup-base-image.sh", List.of("--from", "notejam-local/temurin-noble:25-jre"),
                        "+ docker build --build-arg BASE_IMAGE=notejam-local/temurin-noble:25-jre --tag notejam-backup-base:pg16-jre25 "
                                + "backup-jobs/src/main/docker/base\n", "BACKUP_BASE_IMAGE_ID=sha256:"),
                // the BOM of the Maven build against the image's jars, then attached to the pushed digests (issue 19)
                dryRun("sbom-check.sh", List.of("--bom", "target/sbom/notejam-backup.cdx.json", "--image-tar",
                        "backup-jobs/target/notejam-backup-image.tar"), "tar -xOf backup-jobs/target/notejam-backup-image.tar"),
                dryRun("attach-sbom.sh", List.of("--images-env", "environments/src/test/resources/pipeline/images.env"),
                        "+ cosign attest --yes --type cyclonedx --predicate target/sbom/notejam-backup.cdx.json "
                                + "111122223333.dkr.ecr.eu-west-1.amazonaws.com/notejam-backup@sha256:3333"),
                dryRun("scan-image.sh", List.of(), "cyclonedx:makeAggregateBom",
                        "trivy image --input notejam-app/target/jib-image.tar --severity HIGH,CRITICAL --ignore-unfixed --exit-code 1"),
                dryRun("predeploy-backup.sh", List.of("--env", "prod"),
                        "aws eks update-kubeconfig --name notejam-prod --region eu-west-1",
                        "kubectl -n notejam create job notejam-backup-predeploy-", "--from=cronjob/notejam-backup-predeploy"),
                dryRun("deploy.sh", List.of("--env", "dev", "--app-digest", APP_DIGEST, "--backup-digest", BACKUP_DIGEST),
                        "helm upgrade --install postgres-dev helm-charts/charts/postgres-dev",
                        "helm upgrade --install notejam helm-charts/charts/notejam --namespace notejam --create-namespace --atomic --wait",
                        "-f environments/dev/notejam.values.yaml", "image.digest=" + APP_DIGEST, "image.digest=" + BACKUP_DIGEST),
                dryRun("deploy.sh", List.of("--env", "prod-dr", "--app-digest", APP_DIGEST, "--backup-digest", BACKUP_DIGEST),
                        "--region eu-central-1", "image.registry=111122223333.dkr.ecr.eu-central-1.amazonaws.com",
                        "-f environments/prod-dr/backup.values.yaml"),
                dryRun("helm-test.sh", List.of("--env", "test"), "helm test notejam --namespace notejam --logs",
                        "helm test notejam-backup"),
                dryRun("smoke-test.sh", List.of("--env", "dev", "--base-url", "https://dev.notejam.example.com"), "-Dloadtest.profile=smoke",
                        "-Dnotejam.baseUrl=https://dev.notejam.example.com",
                        "-Dloadtest.startEmbeddedApp=false", "-Dloadtest.allowRemoteTarget=true"),
                dryRun("promote-image.sh", List.of("--env", "prod-dr", "--app-digest", APP_DIGEST, "--backup-digest", BACKUP_DIGEST),
                        "aws ecr put-image --region eu-west-1 --repository-name notejam-app --image-tag promoted-prod-dr-",
                        "aws ecr describe-images --region eu-central-1 --repository-name notejam-backup --image-ids imageDigest=" + BACKUP_DIGEST),
                dryRun("rollback.sh", List.of("--env", "prod", "--revision", "7"), "helm rollback notejam 7 --namespace notejam --wait"),
                dryRun("local-base-image.sh", List.of("--variant", "backup"), "packages=ca-certificates,postgresql-client-15 jre=Temurin-25.",
                        "notejam-local/backup:"),
                dryRun("local-service-images.sh", List.of(), "greenmail-standalone", "org.gaul:s3proxy"),
                dryRun("container-smoke-test.sh", List.of(), "jib:dockerBuild", "-p 127.0.0.1::8080",
                        "-e JAVA_TOOL_OPTIONS=-XX:AOTMode=on notejam-app:", "-fast\n", "app-plain-"),
                dryRun("fast-start-image.sh", List.of("--image", "notejam-app:1.0.0", "--network", "ci", "--env-file", "stores.env"),
                        "-XX:AOTCacheOutput=/tmp/notejam.aot -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh",
                        "--env-file stores.env", "docker build --quiet --tag notejam-app:1.0.0-fast",
                        "JDK_JAVA_OPTIONS=-XX:AOTCache=/app/notejam.aot"),
                // scripts of the DR and backup runbooks (issue 18): each prints its commands without running them
                dryRun("dr-drill.sh", List.of(), "notejam-app/pom.xml package"),
                dryRun("dr-failover.sh", List.of("--step", "status"), "+ aws route53 list-hosted-zones-by-name"),
                dryRun("dr-failover.sh", List.of("--step", "fence-primary"), "+ aws route53 update-health-check",
                        "--resource-path /failed-over-to-prod-dr/\n"),
                dryRun("dr-failover.sh", List.of("--step", "promote"),
                        "+ aws rds promote-read-replica --region eu-central-1 --db-instance-identifier notejam-prod-dr --backup-retention-period 35\n"),
                dryRun("dr-failover.sh", List.of("--step", "mark-promoted"), ROOT + "/environments/prod-dr/notejam.values.yaml\n"),
                dryRun("dr-failover.sh", List.of("--step", "verify"), "https://eu-central-1.notejam.example.com/signin/\n",
                        "https://notejam.example.com/signin/\n"),
                // the failback steps (docs/runbooks/failback-to-prod.md); the state addresses are checked against the
                // stack's own state by infra-terraform's FailbackStateAddressesTest
                dryRun("dr-failover.sh", List.of("--step", "swap-prod-instance"),
                        "+ aws rds modify-db-instance --region eu-west-1 --db-instance-identifier notejam-prod"
                                + " --new-db-instance-identifier notejam-prod-pre-failover --apply-immediately\n",
                        "+ aws rds modify-db-instance --region eu-west-1 --db-instance-identifier notejam-prod-failback"
                                + " --new-db-instance-identifier notejam-prod --apply-immediately\n",
                        "-backend-config=" + ROOT + "/environments/prod/backend.hcl\n",
                        "+ terraform -chdir=infra-terraform/stacks/platform state rm -lock-timeout=5m module.database[0].aws_db_instance.this"
                                + " module.database[0].aws_db_instance_automated_backups_replication.this[0]\n",
                        "+ terraform -chdir=infra-terraform/stacks/platform import -input=false -lock-timeout=5m -var-file=" + ROOT
                                + "/environments/prod/platform.tfvars module.database[0].aws_db_instance.this notejam-prod\n",
                        "plan -input=false -lock=false -var-file=" + ROOT + "/environments/prod/platform.tfvars",
                        "the plan must delete or replace exactly: nothing"),
                dryRun("dr-failover.sh", List.of("--step", "swap-prod-instance", "--failback-id", "notejam-prod-fb2"),
                        "--db-instance-identifier notejam-prod-fb2 --new-db-instance-identifier notejam-prod --apply-immediately\n"),
                dryRun("dr-failover.sh", List.of("--step", "promote-failback"),
                        "+ aws eks update-kubeconfig --name notejam-prod-dr --region eu-central-1 --alias notejam-prod-dr\n",
                        "+ kubectl --context notejam-prod-dr --namespace notejam scale deployment/notejam --replicas=0\n",
                        "--region eu-west-1 --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=notejam-prod ",
                        "+ aws rds promote-read-replica --region eu-west-1 --db-instance-identifier notejam-prod --backup-retention-period 35\n"),
                dryRun("dr-failover.sh", List.of("--step", "failback-replica"),
                        "+ aws rds create-db-instance-read-replica --region eu-west-1 --db-instance-identifier notejam-prod-failback"
                                + " --source-db-instance-identifier arn:aws:rds:eu-central-1:"),
                dryRun("dr-failover.sh", List.of("--step", "unfence-primary"), "+ aws route53 update-health-check", "--resource-path /signin/\n"),
                dryRun("dr-failover.sh", List.of("--step", "mark-standby"),
                        "+ sed -i -E s/^([[:space:]]*standby_promoted[[:space:]]*=[[:space:]]*)true/\\1false/ " + ROOT + "/environments/prod-dr/platform.tfvars"),
                dryRun("dr-failover.sh", List.of("--step", "return-to-standby"),
                        "-backend-config=" + ROOT + "/environments/prod-dr/backend.hcl\n",
                        "+ terraform -chdir=infra-terraform/stacks/platform plan -input=false -lock=false -var-file=" + ROOT
                                + "/environments/prod-dr/platform.tfvars -replace=module.database[0].aws_db_instance.this -out=" + ROOT
                                + "/target/terraform/prod-dr-standby.tfplan\n",
                        "the plan must delete or replace exactly: module.database[0].aws_db_instance.this\n",
                        "+ aws rds modify-db-instance --region eu-central-1 --db-instance-identifier notejam-prod-dr --no-deletion-protection --apply-immediately\n",
                        "+ terraform -chdir=infra-terraform/stacks/platform apply -input=false -lock-timeout=5m " + ROOT
                                + "/target/terraform/prod-dr-standby.tfplan\n"),
                dryRun("rds-pitr.sh", List.of("--env", "prod", "--to", "2026-12-04T09:59:00Z"),
                        "aws rds restore-db-instance-to-point-in-time --region eu-west-1 --source-db-instance-identifier notejam-prod"),
                dryRun("backup-job.sh", List.of("--env", "prod", "--name", "verify", "--", "verify", "--latest"),
                        "--from=cronjob/notejam-backup-verify"),
                dryRun("install-addons.sh", List.of("--env", "dev"), "output -json addon_layer"),
                dryRun("compose-exercise.sh", List.of(), "-f docker-compose.yml -f docker-compose.ci.yml", "up -d"));
    }

    private static ProcessRun run(String script, List<String> args) {
        return run(script, args, Map.of());
    }

    private static ProcessRun run(String script, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("bash", "ci/scripts/" + script));
        command.addAll(args);
        // before a "--" (what follows it belongs to the command the script runs)
        int end = command.indexOf("--");
        command.add(end < 0 ? command.size() : end, "--dry-run");
        // Nothing from this machine's cloud or registry settings may leak into a dry run.
        Map<String, String> environment = new java.util.HashMap<>(Map.of("ECR_REGISTRY", "", "EKS_CLUSTER", "", "AWS_REGION", ""));
        environment.putAll(env);
        return ProcessRun.of(ROOT, environment, 60, command);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dryRuns")
    void dryRunPrintsTheCommandsItWouldRun(DryRun dryRun) {
        ProcessRun run = run(dryRun.script(), dryRun.args());
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.output()).as("%s", run).contains(dryRun.expected());
    }

    @Test
    void everyScriptWithADryRunModeIsExercised() {
        Set<String> covered = dryRuns().map(DryRun::script).collect(Collectors.toSet());
        List<String> documented = RepoFiles.list(ROOT.resolve("ci/scripts"), "*.sh").stream()
                .filter(s -> RepoFiles.read(s).lines().limit(20).anyMatch(l -> l.startsWith("#") && l.contains("--dry-run")))
                .map(s -> s.getFileName().toString())
                .toList();
        assertThat(documented).hasSizeGreaterThan(10);
        assertThat(covered).containsAll(documented);
    }

    @Test
    void everyStepOfTheFailoverScriptIsDryRun() {
        // the steps its header documents ("#   name   what it does"), each with a dry run above
        List<String> documented = RepoFiles.read(ROOT.resolve("ci/scripts/dr-failover.sh")).lines()
                .takeWhile(l -> l.startsWith("#"))
                .map(l -> java.util.regex.Pattern.compile("^#   ([a-z-]+) ").matcher(l))
                .filter(java.util.regex.Matcher::find).map(m -> m.group(1)).toList();
        assertThat(documented).contains("status", "fence-primary", "promote", "failback-replica", "swap-prod-instance",
                "promote-failback", "unfence-primary", "mark-standby", "return-to-standby");
        Set<String> dryRunSteps = dryRuns().filter(d -> d.script().equals("dr-failover.sh"))
                .map(d -> d.args().get(d.args().indexOf("--step") + 1)).collect(Collectors.toSet());
        assertThat(dryRunSteps).containsAll(documented);

        ProcessRun unknown = run("dr-failover.sh", List.of("--step", "swap"));
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.output()).contains("--step must be one of").doesNotContain("+ aws");
    }

    @Test
    void theFastStartVariantIsBuiltOnlyFromAPushedImage() {
        ProcessRun local = run("build-images.sh", List.of("--docker", "--fast-start"));
        assertThat(local.exitCode()).isNotZero();
        assertThat(local.output()).contains("--fast-start needs --push").doesNotContain("jib:");
    }

    @Test
    void deployRefusesUnknownEnvironmentsAndTagsInsteadOfDigests() {
        ProcessRun unknown = run("deploy.sh", List.of("--env", "staging", "--app-digest", APP_DIGEST, "--backup-digest", BACKUP_DIGEST));
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.output()).contains("unknown environment 'staging'").doesNotContain("helm upgrade");

        ProcessRun tag = run("deploy.sh", List.of("--env", "prod", "--app-digest", "1.0.0", "--backup-digest", BACKUP_DIGEST));
        assertThat(tag.exitCode()).isNotZero();
        assertThat(tag.output()).contains("not an image digest").doesNotContain("helm upgrade");

        ProcessRun revision = run("rollback.sh", List.of("--env", "prod", "--revision", "last"));
        assertThat(revision.exitCode()).isNotZero();
        assertThat(revision.output()).contains("--revision must be a number");

        ProcessRun applyWithoutPlan = run("terraform-apply.sh", List.of("--env", "prod"));
        assertThat(applyWithoutPlan.exitCode()).isNotZero();
        assertThat(applyWithoutPlan.output()).contains("--plan is required");
    }

    @Test
    void onlyDevGetsInClusterDataStores() {
        for (String env : List.of("test", "prod", "prod-dr")) {
            ProcessRun run = run("deploy.sh", List.of("--env", env, "--app-digest", APP_DIGEST, "--backup-digest", BACKUP_DIGEST));
            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.output()).as("%s", run).doesNotContain("postgres-dev").doesNotContain("redis-dev")
                    .contains("-f environments/" + env + "/notejam.values.yaml");
        }
    }

    /** Where a module's Jib configuration writes its tarball: {@code <outputPaths><tar>}, else Jib's default. */
    private static String jibTarball(String module) {
        java.util.regex.Matcher tar = java.util.regex.Pattern.compile("<outputPaths>\\s*<tar>\\$\\{project\\.build\\.directory}/([^<]+)</tar>")
                .matcher(RepoFiles.read(ROOT.resolve(module).resolve("pom.xml")));
        return module + "/target/" + (tar.find() ? tar.group(1) : "jib-image.tar");
    }

    @Test
    void theScanReadsTheTarballsTheBuildWrites() {
        ProcessRun scan = run("scan-image.sh", List.of());
        assertThat(scan.exitCode()).as("%s", scan).isZero();
        for (String module : List.of("notejam-app", "backup-jobs")) {
            assertThat(scan.output()).as("%s", scan).contains("trivy image --input " + jibTarball(module) + " --severity");
        }
    }

    @Test
    void theScanReadsTheDigestsTheBuildPushed() {
        ProcessRun build = run("build-images.sh", List.of("--push", "--fast-start"));
        assertThat(build.exitCode()).as("%s", build).isZero();
        // the file build-images.sh wrote, read by the scan as the pipeline does
        Map<String, String> images = RepoFiles.read(ROOT.resolve("target/images.env")).lines()
                .map(l -> l.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        ProcessRun scan = run("scan-image.sh", List.of("--images-env", "target/images.env"));
        assertThat(scan.exitCode()).as("%s", scan).isZero();
        for (String image : List.of(images.get("APP_IMAGE"), images.get("BACKUP_IMAGE"))) {
            assertThat(image).contains(".dkr.ecr.").contains("@sha256:");
            assertThat(scan.output()).as("%s", scan).contains("+ trivy image " + image + " --severity HIGH,CRITICAL");
        }
        assertThat(scan.output()).doesNotContain("--input");
    }

    @Test
    void theTerraformPlanTakesNoStateLock() {
        ProcessRun plan = run("terraform-plan.sh", List.of("--env", "dev"));
        assertThat(plan.exitCode()).as("%s", plan).isZero();
        // the plan role may not write the state bucket, where use_lockfile would put a lock object
        assertThat(plan.output()).contains(" plan -input=false -lock=false ").doesNotContain("-lock-timeout");
    }

    @Test
    void promotionCopiesFromTheRegistryRegionWhateverTheJobRegion() {
        // the DR job once configured AWS_REGION=the DR region: promotion must still read the home registry
        ProcessRun promote = run("promote-image.sh", List.of("--env", "prod-dr", "--app-digest", APP_DIGEST, "--backup-digest", BACKUP_DIGEST),
                Map.of("AWS_REGION", "eu-central-1", "ECR_REGISTRY", "111122223333.dkr.ecr.eu-west-1.amazonaws.com"));
        assertThat(promote.exitCode()).as("%s", promote).isZero();
        assertThat(promote.output()).contains("aws ecr batch-get-image --region eu-west-1 --repository-name notejam-app")
                .contains("aws ecr describe-images --region eu-central-1 --repository-name notejam-app")
                .doesNotContain("batch-get-image --region eu-central-1");
    }

    @Test
    void theSmokeStageRunsGatlingAgainstTheUrlOfTheTerraformOutputsOnly() throws java.io.IOException {
        // the shape of `terraform output -json` deploy.sh reads (helm_values.<chart>), here with only the URL
        Path outputs = ROOT.resolve("environments/target/smoke-terraform-outputs.json");
        java.nio.file.Files.createDirectories(outputs.getParent());
        java.nio.file.Files.writeString(outputs,
                "{\"helm_values\": {\"value\": {\"notejam\": {\"config\": {\"baseUrl\": \"https://dev.apps.example.org\"}}}}}");
        ProcessRun smoke = run("smoke-test.sh", List.of("--env", "dev", "--terraform-outputs", outputs.toString()));
        assertThat(smoke.exitCode()).as("%s", smoke).isZero();
        assertThat(smoke.output()).contains("-Dnotejam.baseUrl=https://dev.apps.example.org ");
        String gatling = smoke.output().lines().filter(l -> l.contains("gatling:test")).findFirst().orElseThrow();
        assertThat(gatling).contains("-pl load-tests ").doesNotContain("-am").contains("-Dloadtest.startEmbeddedApp=false");
    }
}
