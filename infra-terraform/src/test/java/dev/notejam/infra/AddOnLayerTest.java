package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

/**
 * The Helm half of the add-on layer installs from the stack's addon_layer output alone: install.sh --dry-run, fed
 * each environment's output under the mocked provider, prints one pinned `helm upgrade --install` per release in
 * order (CRDs before their users) and renders this repository's platform-config chart, whose objects are the ones
 * addon_layer.provides promises (default StorageClass, ClusterSecretStore, labelled app namespace).
 */
class AddOnLayerTest {

    private static final Path SOURCES = Path.of(System.getProperty("terraform.sources", ".")).toAbsolutePath().normalize();

    @ParameterizedTest(name = "{0}: install.sh --dry-run installs every pinned release from addon_layer")
    @ValueSource(strings = {"dev", "test", "prod", "prod-dr"})
    void dryRunInstallsTheLayer(String env) throws IOException, InterruptedException {
        JsonNode layer = StackOutputs.output(env, "addon_layer");
        Path layerFile = Files.createTempFile("addon-layer-" + env, ".json");
        Files.writeString(layerFile, layer.toString());
        Process process = new ProcessBuilder("bash", SOURCES.resolve("cluster-addons/install.sh").toString(), "--dry-run", "--layer", layerFile.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("install.sh --dry-run finishes").isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        List<String> installs = output.lines().filter(l -> l.startsWith("DRY-RUN:") && l.contains(" upgrade --install ")).toList();
        assertThat(installs).as(output).hasSize(layer.path("helm_releases").size());
        for (int i = 0; i < installs.size(); i++) {
            JsonNode release = layer.path("helm_releases").get(i);
            assertThat(installs.get(i)).as("release %d in order", i).contains("--install " + release.path("name").asString() + " ")
                    .contains("--namespace " + release.path("namespace").asString()).contains("--atomic");
            if (!release.path("repository").asString().isEmpty()) {
                assertThat(installs.get(i)).contains("--version " + release.path("version").asString())
                        .contains("--repo " + release.path("repository").asString());
            }
        }
        assertThat(output).as("the update-kubeconfig of this environment's cluster")
                .contains("update-kubeconfig --name " + layer.path("cluster_name").asString() + " --region " + layer.path("region").asString());
        assertThat(output).as("platform-config rendered by helm template").contains("rendered platform-config: 5 objects (ClusterRole,ClusterRoleBinding,ClusterSecretStore,Namespace,StorageClass)");
    }
}
