package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-compose.yml (local stack) and docker-compose.ci.yml (CI override with locally built images). */
class ComposeFileTest {

    private static final Path ROOT = RepoFiles.root();
    private static final Set<String> SERVICES = Set.of("postgres", "redis", "mail", "s3", "app", "backup");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|CREDENTIAL|_KEY|REDISCLI_AUTH).*");

    private static Map<Object, Object> services(String file) {
        return Workflow.map(RepoFiles.yaml(ROOT.resolve(file)).get("services"));
    }

    private static Map<Object, Object> service(String name) {
        return Workflow.map(services("docker-compose.yml").get(name));
    }

    private static String pomProperty(String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(RepoFiles.read(ROOT.resolve("pom.xml")));
        assertThat(matcher.find()).as("pom.xml property %s", name).isTrue();
        return matcher.group(1);
    }

    @Test
    void stackHasTheDataStoresTheAppMailS3AndAOneShotBackup() {
        assertThat(services("docker-compose.yml").keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(service("backup").get("restart")).isEqualTo("no");
        assertThat(Workflow.strings(service("backup").get("command"))).containsExactly("backup", "--trigger", "manual");
    }

    @Test
    void longRunningServicesHaveHealthChecksAndDependentsWaitForThem() {
        for (String name : List.of("postgres", "redis", "mail", "s3", "app")) {
            Map<Object, Object> healthcheck = Workflow.map(service(name).get("healthcheck"));
            assertThat(Workflow.strings(healthcheck.get("test"))).as("%s health check", name).hasSizeGreaterThan(1);
        }
        Map<String, List<String>> expected = Map.of("app", List.of("postgres", "redis", "mail"),
                "backup", List.of("postgres", "s3", "app"));
        expected.forEach((name, dependencies) -> {
            Map<Object, Object> dependsOn = Workflow.map(service(name).get("depends_on"));
            assertThat(dependsOn.keySet()).as("%s depends on", name).containsAll(dependencies);
            dependencies.forEach(d -> assertThat(Workflow.map(dependsOn.get(d)).get("condition"))
                    .as("%s waits until %s is healthy", name, d).isEqualTo("service_healthy"));
        });
    }

    @Test
    void dataLivesInNamedVolumes() {
        Set<Object> declared = Workflow.map(RepoFiles.yaml(ROOT.resolve("docker-compose.yml")).get("volumes")).keySet();
        assertThat(declared).contains("postgres-data", "redis-data", "s3-data");
        for (String name : List.of("postgres", "redis", "s3")) {
            List<String> mounts = Workflow.strings(service(name).get("volumes"));
            assertThat(mounts).as("%s volumes", name).isNotEmpty()
                    .allSatisfy(m -> assertThat(declared).as("%s mounts a named volume", name).contains(m.substring(0, m.indexOf(':'))));
        }
    }

    @Test
    void noSecretIsWrittenInTheComposeFilesOrTheEnvExample() {
        for (String file : List.of("docker-compose.yml", "docker-compose.ci.yml")) {
            services(file).forEach((name, definition) -> {
                Object environment = Workflow.map(definition).get("environment");
                Workflow.map(environment).forEach((key, value) -> {
                    if (SECRET_NAME.matcher(key.toString()).matches()) {
                        assertThat(String.valueOf(value)).as("%s %s.%s comes from .env", file, name, key).matches("\\$\\{[A-Z0-9_]+(:?\\?[^}]*)?}");
                    }
                });
            });
        }
        List<String> filled = new ArrayList<>();
        RepoFiles.read(ROOT.resolve(".env.example")).lines()
                .filter(l -> !l.startsWith("#") && l.contains("="))
                .filter(l -> l.matches("[A-Z0-9_]*(PASSWORD|SECRET|ENCRYPTION_KEY)[A-Z0-9_]*=.+"))
                .forEach(filled::add);
        assertThat(filled).as(".env.example leaves secrets empty").isEmpty();
        assertThat(RepoFiles.read(ROOT.resolve(".gitignore")).lines()).as(".env is never committed").contains(".env");
    }

    @Test
    void appImageIsTheJibBuildOfTheCurrentVersionAndServersMatchThePinnedVersions() {
        String version = pomProperty("version");
        assertThat(String.valueOf(service("app").get("image"))).endsWith(":-notejam-app:" + version + "}");
        assertThat(String.valueOf(service("backup").get("image"))).endsWith(":-notejam-backup:" + version + "}");
        assertThat(String.valueOf(service("mail").get("image"))).endsWith(":" + pomProperty("greenmail.version") + "}");
        assertThat(String.valueOf(service("s3").get("image"))).endsWith("s3proxy-" + pomProperty("s3proxy-server.version") + "}");
    }

    @Test
    void ciOverrideSwapsEveryImageForALocallyBuiltOne() {
        Map<Object, Object> override = services("docker-compose.ci.yml");
        assertThat(override.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        override.forEach((name, definition) -> {
            String image = String.valueOf(Workflow.map(definition).get("image"));
            assertThat(image).as("%s image in CI", name)
                    .satisfiesAnyOf(i -> assertThat(i).startsWith("notejam-local/"), i -> assertThat(i).startsWith("${NOTEJAM_"));
        });
    }

    @Test
    void composeValidatesTheFilesTogether(@TempDir Path temp) throws IOException {
        // An empty env file: a developer's own .env must not change the outcome.
        String envFile = Files.writeString(temp.resolve("empty.env"), "").toString();
        Path compose = RequiredTool.require("docker-compose", "Debian package docker-compose, installed by ci/setup.d/60-docker.sh");
        Map<String, String> env = Map.of("POSTGRES_PASSWORD", "x", "REDIS_PASSWORD", "x", "S3_SECRET_KEY", "x", "S3_ACCESS_KEY", "x",
                "BACKUP_ENCRYPTION_KEY", "x", "NOTEJAM_APP_IMAGE", "notejam-app:ci", "NOTEJAM_BACKUP_IMAGE", "notejam-backup:ci");
        ProcessRun run = ProcessRun.of(ROOT, env, 60, List.of(compose.toString(), "-f", "docker-compose.yml", "-f",
                "docker-compose.ci.yml", "--env-file", envFile, "config"));
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.output()).contains("image: notejam-local/postgres:bookworm", "image: notejam-app:ci", "condition: service_healthy");

        ProcessRun missingSecret = ProcessRun.of(ROOT, Map.of(), 60, List.of(compose.toString(), "-f", "docker-compose.yml",
                "--env-file", envFile, "config"));
        assertThat(missingSecret.exitCode()).as("a missing password stops compose: %s", missingSecret).isNotZero();
        assertThat(missingSecret.output()).contains("in .env");
    }
}
