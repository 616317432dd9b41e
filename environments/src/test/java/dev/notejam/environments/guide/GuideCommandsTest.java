package dev.notejam.environments.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/from-empty-account.md: every line of its bash blocks is a command of this repository that exists, names
 * files that exist and passes its dry run. Anything else an operator must do is written as a named console action
 * or repository edit outside the blocks.
 */
class GuideCommandsTest {

    private static final Path ROOT = Path.of(System.getProperty("notejam.repoRoot", "..")).toAbsolutePath().normalize();
    private static final Path GUIDE = ROOT.resolve("docs/from-empty-account.md");
    private static final Set<String> TERRAFORM_COMMANDS = Set.of("init", "plan", "apply", "output", "workspace");
    private static final Map<String, String> SAMPLE_ENV = Map.of("APP_DIGEST", "sha256:" + "a".repeat(64),
            "BACKUP_DIGEST", "sha256:" + "b".repeat(64), "ECR_REGISTRY", "", "EKS_CLUSTER", "", "AWS_REGION", "");

    static List<String> commands() throws IOException {
        List<String> commands = new ArrayList<>();
        boolean inBash = false;
        for (String line : Files.readAllLines(GUIDE)) {
            if (line.startsWith("```")) {
                inBash = !inBash && line.equals("```bash");
                continue;
            }
            if (inBash && !line.isBlank()) {
                commands.add(line.strip());
            }
        }
        return commands;
    }

    @Test
    void theGuideWalksThroughEveryEnvironment() throws IOException {
        List<String> commands = commands();
        for (String env : List.of("dev", "test", "prod", "prod-dr")) {
            assertThat(commands).as("the guide deploys %s", env)
                    .anyMatch(c -> c.startsWith("ci/scripts/terraform-apply.sh --env " + env + " "))
                    .anyMatch(c -> c.startsWith("ci/scripts/deploy.sh --env " + env + " "));
        }
        assertThat(Files.readString(GUIDE)).contains("Console action", "Route 53", "SES", "production access");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandIsFromThisRepositoryAndPassesItsDryRun(String command) throws Exception {
        List<String> words = List.of(command.split(" +"));
        switch (words.get(0)) {
            case "terraform" -> checkTerraform(words);
            case "./mvnw" -> {
                int pl = words.indexOf("-pl");
                assertThat(pl).as("%s names its module", command).isPositive();
                for (String module : words.get(pl + 1).split(",")) {
                    assertThat(ROOT.resolve(module).resolve("pom.xml")).as("module %s", module).exists();
                }
            }
            default -> {
                assertThat(words.get(0)).as("'%s' is not a command of this repository: write it as a console action", command)
                        .matches("ci/scripts/[a-z0-9-]+\\.sh");
                Path script = ROOT.resolve(words.get(0));
                assertThat(script).exists();
                assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
                List<String> run = new ArrayList<>(List.of("bash", words.get(0)));
                for (int i = 1; i < words.size(); i++) {
                    String word = expand(words.get(i));
                    if (words.get(i - 1).equals("--terraform-outputs") && !Files.exists(ROOT.resolve(word))) {
                        word = standInOutputs(word).toString();
                    }
                    run.add(word);
                }
                run.add("--dry-run");
                ProcessBuilder builder = new ProcessBuilder(run).directory(ROOT.toFile()).redirectErrorStream(true);
                builder.environment().putAll(SAMPLE_ENV);
                Process process = builder.start();
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finishes", command).isTrue();
                assertThat(process.exitValue()).as("%s --dry-run:\n%s", command, output).isZero();
            }
        }
    }

    private static void checkTerraform(List<String> words) {
        assertThat(words.get(1)).startsWith("-chdir=");
        Path dir = ROOT.resolve(words.get(1).substring("-chdir=".length()));
        assertThat(dir.resolve("main.tf")).as("terraform -chdir names a Terraform directory of the repository").exists();
        assertThat(TERRAFORM_COMMANDS).contains(words.get(2));
        for (String word : words) {
            Matcher file = Pattern.compile("^-(?:var-file|backend-config)=(.+)$").matcher(word);
            if (file.matches()) {
                assertThat(dir.resolve(file.group(1)).normalize()).as(word).exists();
            }
            if (word.startsWith("region=")) {
                assertThat(word).matches("region=[a-z]{2}-[a-z]+-[0-9]");
            }
        }
    }

    /**
     * The stack's outputs that an earlier step of the guide saves (deploy.sh writes target/deploy/<env>/...); the
     * dry run gets a stand-in with the one value the scripts read from it.
     */
    private static Path standInOutputs(String path) throws IOException {
        assertThat(path).as("only outputs an earlier step writes").startsWith("target/deploy/");
        assertThat(Files.readString(ROOT.resolve("ci/scripts/deploy.sh"))).contains("target/deploy/$env", "terraform-outputs.json");
        Path standIn = ROOT.resolve("environments/target/guide").resolve(path);
        Files.createDirectories(standIn.getParent());
        Files.writeString(standIn, "{\"helm_values\": {\"value\": {\"notejam\": {\"config\": {\"baseUrl\": \"https://notejam.invalid\"}}}}}");
        return standIn;
    }

    private static String expand(String word) {
        String value = word.replaceAll("^\"|\"$", "");
        for (var entry : SAMPLE_ENV.entrySet()) {
            value = value.replace("$" + entry.getKey(), entry.getValue());
        }
        assertThat(value).as("only the documented variables are used").doesNotContain("$");
        return value;
    }
}
