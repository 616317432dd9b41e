package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every environments/&lt;env&gt;/backend.hcl points at the state bucket the bootstrap creates in that environment's
 * own region, encrypts with the bootstrap's KMS key (by its alias; the bucket refuses SSE-S3 writes) and locks
 * with S3 lock files. prod-dr keeps its state in its own region, so it can be applied while prod's region is down.
 */
class BackendConfigTest {

    private static final Path SOURCES = Path.of(System.getProperty("terraform.sources", ".")).toAbsolutePath().normalize();
    private static final Path ENVIRONMENTS = Path.of(System.getProperty("terraform.environments", "../environments")).toAbsolutePath().normalize();
    private static final Pattern SETTING = Pattern.compile("^\\s*([a-z_]+)\\s*=\\s*\"?([^\"#]*?)\"?\\s*$", Pattern.MULTILINE);

    @ParameterizedTest(name = "{0}: state in its own region's bootstrap bucket, KMS-encrypted, locked")
    @ValueSource(strings = {"dev", "test", "prod", "prod-dr"})
    void backendMatchesTheBootstrap(String env) throws IOException {
        Map<String, String> backend = settings(ENVIRONMENTS.resolve(env).resolve("backend.hcl"));
        Map<String, String> tfvars = settings(ENVIRONMENTS.resolve(env).resolve("platform.tfvars"));
        String bootstrap = Files.readString(SOURCES.resolve("bootstrap/main.tf"));
        Matcher alias = Pattern.compile("resource \"aws_kms_alias\" \"state\" \\{\\s*name\\s*=\\s*\"([^\"]+)\"").matcher(bootstrap);
        assertThat(alias.find()).as("bootstrap/main.tf names the state key's alias").isTrue();
        Matcher bucketName = Pattern.compile("bucket = \"(notejam-terraform-state)-\\$\\{data.aws_caller_identity.current.account_id}-\\$\\{var.region}\"").matcher(bootstrap);
        assertThat(bucketName.find()).as("bootstrap/main.tf names the bucket <prefix>-<account>-<region>").isTrue();

        assertThat(backend.get("region")).as("backend region = the environment's region").isEqualTo(tfvars.get("region"));
        assertThat(backend.get("bucket")).as("the bootstrap bucket of that region")
                .matches(Pattern.quote(bucketName.group(1)) + "-[0-9]{12}-" + Pattern.quote(tfvars.get("region")));
        assertThat(backend.get("kms_key_id")).as("R8: state encrypted with the bootstrap key, not SSE-S3").isEqualTo(alias.group(1));
        assertThat(backend.get("encrypt")).isEqualTo("true");
        assertThat(backend.get("use_lockfile")).as("S3 native locking").isEqualTo("true");
        assertThat(backend.get("key")).isEqualTo("notejam/" + env + "/platform.tfstate");
    }

    @org.junit.jupiter.api.Test
    void sharedStackStateIsInThePrimaryRegionsBucket() throws IOException {
        Map<String, String> backend = settings(SOURCES.resolve("stacks/shared/backend.hcl"));
        String variables = Files.readString(SOURCES.resolve("stacks/shared/variables.tf"));
        Matcher region = Pattern.compile("variable \"region\" \\{[^}]*?default\\s*=\\s*\"([a-z0-9-]+)\"", Pattern.DOTALL).matcher(variables);
        assertThat(region.find()).as("stacks/shared declares its region").isTrue();
        assertThat(backend.get("region")).isEqualTo(region.group(1));
        assertThat(backend.get("bucket")).matches("notejam-terraform-state-[0-9]{12}-" + Pattern.quote(region.group(1)));
        assertThat(backend.get("kms_key_id")).isEqualTo("alias/notejam-terraform-state");
        assertThat(backend.get("key")).isEqualTo("notejam/shared/registry.tfstate");
        assertThat(backend.get("use_lockfile")).isEqualTo("true");
    }

    private static Map<String, String> settings(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher m = SETTING.matcher(Files.readString(file));
        while (m.find()) {
            settings.putIfAbsent(m.group(1), m.group(2).trim());
        }
        return settings;
    }
}
