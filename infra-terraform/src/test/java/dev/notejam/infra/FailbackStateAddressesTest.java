package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The failback (docs/runbooks/failback-to-prod.md) moves prod's database in Terraform state by address
 * ({@code dr-failover.sh --step swap-prod-instance}: state rm, import) and rebuilds prod-dr's with {@code -replace}
 * ({@code --step return-to-standby}). The addresses the script prints in its dry run must be resources of the stack's
 * own state of that environment, applied under the mocked AWS provider (environments/&lt;env&gt;/platform.tfvars):
 * renaming the module or a resource in stacks/platform or modules/database fails here until the script follows.
 */
class FailbackStateAddressesTest {

    private static final Path REPO = Path.of(System.getProperty("terraform.sources", ".")).toAbsolutePath().normalize().getParent();
    private static final String STACK = "terraform -chdir=infra-terraform/stacks/platform ";

    @Test
    void swapProdInstanceForgetsAndImportsResourcesOfProdsState() throws Exception {
        String output = dryRun("swap-prod-instance");
        List<String> forgotten = wordsAfter(output, STACK + "state rm -lock-timeout=5m ");
        List<String> imported = wordsAfter(output, STACK + "import ");
        String importAddress = imported.get(imported.size() - 2);
        String importId = imported.get(imported.size() - 1);

        Map<String, JsonNode> prod = StackOutputs.resources("prod");
        assertThat(prod.keySet()).as("prod's state").containsAll(forgotten).contains(importAddress);
        assertThat(forgotten).first().as("the instance forgotten is the one imported").isEqualTo(importAddress);
        JsonNode instance = prod.get(importAddress);
        assertThat(importAddress).endsWith("aws_db_instance.this");
        // aws_db_instance is imported by its identifier: the name the stack gives prod's instance
        assertThat(importId).isEqualTo(instance.path("identifier").asString()).isEqualTo("notejam-prod");
        // the other address forgotten is the replication of that instance's automated backups, which names it
        String replication = forgotten.get(1);
        assertThat(prod.get(replication).path("source_db_instance_arn").asString()).isEqualTo(instance.path("arn").asString());
        assertThat(forgotten).hasSize(2);
    }

    @Test
    void returnToStandbyReplacesProdDrsDatabaseAndChecksThatAddress() throws Exception {
        String output = dryRun("return-to-standby");
        String replace = wordsAfter(output, STACK + "plan ").stream().filter(w -> w.startsWith("-replace=")).findFirst().orElseThrow()
                .substring("-replace=".length());
        Map<String, JsonNode> prodDr = StackOutputs.resources("prod-dr");
        assertThat(prodDr).containsKey(replace);
        assertThat(prodDr.get(replace).path("identifier").asString()).isEqualTo("notejam-prod-dr");
        // in stand-by the instance at that address is the replica of prod's (its source is prod's instance ARN)
        assertThat(prodDr.get(replace).path("replicate_source_db").asString()).endsWith(":db:notejam-prod");
        assertThat(output).contains("the plan must delete or replace exactly: " + replace + "\n");
    }

    private static List<String> wordsAfter(String output, String prefix) {
        String line = output.lines().filter(l -> l.startsWith("+ " + prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no '+ " + prefix + "' line in:\n" + output));
        return Arrays.asList(line.substring(("+ " + prefix).length()).trim().split(" +"));
    }

    private static String dryRun(String step) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "ci/scripts/dr-failover.sh", "--step", step, "--dry-run")
                .directory(REPO.toFile()).redirectErrorStream(true);
        builder.environment().put("AWS_REGION", "");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
