package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

/**
 * The stack's output backup_vault (issue 22): the AWS Backup vaults of R2's second line, by name and ARN, in the
 * environment's region and in its DR region, as the restore decision table (docs/runbooks/backup-and-restore.md)
 * reads them. Applied under the mocked AWS provider with each environment's tfvars: names are the real ones, ARNs
 * the mock's; the DR vault's ARN must be the very copy target of the backup plan.
 */
class BackupVaultOutputsTest {

    private static final String ARN = "arn:aws:backup:[a-z0-9-]+:\\d{12}:backup-vault:[A-Za-z0-9_-]+";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test", "prod", "prod-dr"})
    void environmentsWithADatabaseNameTheirVaultsAndTheDrCopy(String env) {
        JsonNode vault = StackOutputs.output(env, "backup_vault");
        assertThat(vault.path("vault_name").asString()).isEqualTo("notejam-" + env + "-vault");
        assertThat(vault.path("vault_arn").asString()).matches(ARN);
        assertThat(vault.path("service_role_arn").asString()).startsWith("arn:aws:iam::");
        assertThat(vault.path("settings").path("delete_after_days").asInt()).isGreaterThanOrEqualTo(1095);
        if (env.startsWith("prod")) {
            assertThat(vault.path("dr_vault_name").asString()).isEqualTo("notejam-" + env + "-vault-dr");
            assertThat(vault.path("dr_vault_arn").asString()).matches(ARN);
            assertThat(vault.path("dr_region").asString()).isEqualTo(StackOutputs.output(env, "dr_region").asString())
                    .isNotEqualTo(StackOutputs.output(env, "region").asString());
            java.util.List<String> copyTargets = new java.util.ArrayList<>();
            vault.path("settings").path("copy_targets").forEach(target -> copyTargets.add(target.asString()));
            assertThat(copyTargets)
                    .as("the DR vault named here is where the plan copies every recovery point").contains(vault.path("dr_vault_arn").asString());
            assertThat(vault.path("settings").path("lock_mode").asString()).isEqualTo(env.equals("prod") ? "compliance" : "governance");
        }
        else {
            assertThat(vault.path("dr_vault_name").isNull()).as("test keeps no DR copy").isTrue();
            assertThat(vault.path("dr_vault_arn").isNull()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev"})
    void withoutADatabaseThereIsNoVault(String env) {
        // terraform leaves a null output's value out of its JSON
        JsonNode vault = StackOutputs.forEnvironment(env).path("backup_vault").path("value");
        assertThat(vault.isMissingNode() || vault.isNull()).as("dev's backup_vault: %s", vault).isTrue();
    }
}
