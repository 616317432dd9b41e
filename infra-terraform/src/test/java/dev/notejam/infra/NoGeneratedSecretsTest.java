package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No secret value in Terraform state or in any plan the pipeline uploads (issue 16): no Terraform source generates,
 * reads or sets one. Secrets are either made by AWS and kept there (the RDS-managed master password), set out of band
 * (the app's mail credentials), or replaced by IAM authentication (the app and backup database roles, the Redis
 * user). The environment runs assert the same on what the stack plans (tests/environment.tftest.hcl:
 * settings.password_in_terraform, auth_token_set); this scan keeps new code from bringing one back.
 */
class NoGeneratedSecretsTest {

    private static final Path SOURCES = Path.of(System.getProperty("terraform.sources", ".")).toAbsolutePath().normalize();

    /** Blocks whose whole purpose is a secret value in state: generated or read back. */
    private static final Pattern SECRET_BLOCK = Pattern.compile(
            "^\\s*(data|resource|ephemeral)\\s+\"(aws_secretsmanager_random_password|aws_secretsmanager_secret_version|random_password|random_string|tls_private_key|aws_iam_access_key|aws_ssm_parameter)\"");

    /** Arguments that put a secret into state (write-only *_wo arguments do not, and are allowed). */
    private static final Pattern SECRET_ARGUMENT = Pattern.compile(
            "^\\s*(auth_token|password|passwords|master_password|secret_string|secret_binary|private_key)\\s*=");

    @Test
    void noTerraformSourceGeneratesReadsOrSetsASecretValue() throws IOException {
        List<String> findings = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".tf"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.terraform/"))
                    .sorted().toList();
        }
        assertThat(files).as("Terraform sources under %s", SOURCES)
                .anyMatch(p -> p.endsWith(Path.of("modules/cache/main.tf")))
                .anyMatch(p -> p.endsWith(Path.of("stacks/platform/main.tf")));
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).replaceFirst("\\s*(#|//).*$", "");
                if (SECRET_BLOCK.matcher(code).find() || SECRET_ARGUMENT.matcher(code).find()) {
                    findings.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + code.trim());
                }
            }
        }
        assertThat(findings).as("Terraform code that would hold a secret value in state or plans").isEmpty();
    }

    @Test
    void theScanRecognisesWhatTheCacheModuleUsedToDo() {
        // The cache module before issue 16: a generated token, read back, set on the group.
        assertThat(SECRET_BLOCK.matcher("data \"aws_secretsmanager_random_password\" \"auth_token\" {").find()).isTrue();
        assertThat(SECRET_BLOCK.matcher("data \"aws_secretsmanager_secret_version\" \"auth_token\" {").find()).isTrue();
        assertThat(SECRET_ARGUMENT.matcher("  auth_token                 = data.aws_secretsmanager_secret_version.auth_token.secret_string").find()).isTrue();
        assertThat(SECRET_ARGUMENT.matcher("  manage_master_user_password = true").find()).isFalse();
        assertThat(SECRET_ARGUMENT.matcher("  secret_string_wo = ephemeral.x.value").find()).isFalse();
    }
}
