package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ci/scripts/sbom-check.sh, which build-images.sh runs on every image it builds (tarballs on pull requests, the
 * pushed digests on main) and the container smoke test and compose exercise run on the images built here: it
 * compares the jars in a Jib image's /app/libs with the libraries of the CycloneDX BOM, classifiers included, and
 * fails on a difference either way. Here on a tarball in Jib's docker-save layout built by the test; and the
 * attachment of those BOMs to the pushed digests, in its dry run.
 */
class SbomCheckTest {

    private static final Path ROOT = RepoFiles.root();

    @Test
    void aBomThatListsExactlyTheImagesJarsPassesAndAnyDifferenceFails(@TempDir Path dir) throws IOException {
        Path image = jibTarball(dir, "picocli-4.7.7.jar", "netty-transport-native-epoll-4.2.15.Final-linux-x86_64.jar");
        String picocli = library("picocli", "4.7.7", "pkg:maven/info.picocli/picocli@4.7.7?type=jar");
        String epoll = library("netty-transport-native-epoll", "4.2.15.Final",
                "pkg:maven/io.netty/netty-transport-native-epoll@4.2.15.Final?classifier=linux-x86_64&type=jar");

        ProcessRun exact = check(bom(dir, "exact.json", picocli, epoll), image);
        assertThat(exact.exitCode()).as("%s", exact).isZero();
        assertThat(exact.output()).contains("lists exactly the 2 jars of");

        // a jar of the image the BOM does not list (what the backup image had: test-only Netty jars)
        ProcessRun missing = check(bom(dir, "missing.json", picocli), image);
        assertThat(missing.exitCode()).as("%s", missing).isNotZero();
        assertThat(missing.output()).contains("in the image, not in the BOM:\nnetty-transport-native-epoll-4.2.15.Final-linux-x86_64.jar");

        // a library the image does not hold, and a classifier that differs
        String other = library("netty-transport-native-epoll", "4.2.15.Final",
                "pkg:maven/io.netty/netty-transport-native-epoll@4.2.15.Final?classifier=linux-aarch_64&type=jar");
        ProcessRun extra = check(bom(dir, "extra.json", picocli, epoll, other), image);
        assertThat(extra.exitCode()).as("%s", extra).isNotZero();
        assertThat(extra.output()).contains("in the BOM, not in the image:\nnetty-transport-native-epoll-4.2.15.Final-linux-aarch_64.jar");
    }

    @Test
    void theBomsAreAttachedToThePushedDigestsNamedByTheBuild(@TempDir Path dir) throws IOException {
        String registry = "111122223333.dkr.ecr.eu-west-1.amazonaws.com";
        String fast = "sha256:" + "1".repeat(64);
        String plain = "sha256:" + "2".repeat(64);
        String backup = "sha256:" + "3".repeat(64);
        Path imagesEnv = Files.writeString(dir.resolve("images.env"), "APP_DIGEST=" + fast + "\nAPP_DEFAULT_DIGEST=" + plain
                + "\nBACKUP_DIGEST=" + backup + "\nAPP_IMAGE=" + registry + "/notejam-app@" + fast
                + "\nBACKUP_IMAGE=" + registry + "/notejam-backup@" + backup + "\n");
        ProcessRun run = ProcessRun.of(ROOT, Map.of(), 60, List.of("bash", "ci/scripts/attach-sbom.sh", "--images-env",
                imagesEnv.toString(), "--dry-run"));
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.output())
                .contains("+ cosign attest --yes --type cyclonedx --predicate target/sbom/notejam-app.cdx.json " + registry + "/notejam-app@" + fast + "\n")
                .contains("--predicate target/sbom/notejam-app.cdx.json " + registry + "/notejam-app@" + plain + "\n")
                .contains("--predicate target/sbom/notejam-backup.cdx.json " + registry + "/notejam-backup@" + backup + "\n");

        Path tagOnly = Files.writeString(dir.resolve("tag.env"), "APP_IMAGE=" + registry + "/notejam-app:1.0.0\nBACKUP_IMAGE="
                + registry + "/notejam-backup@" + backup + "\n");
        ProcessRun refused = ProcessRun.of(ROOT, Map.of(), 60, List.of("bash", "ci/scripts/attach-sbom.sh", "--images-env",
                tagOnly.toString(), "--dry-run"));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("is not a <registry>/<repository>@sha256:... reference").doesNotContain("cosign attest");
    }

    private static ProcessRun check(Path bom, Path image) {
        return ProcessRun.of(ROOT, Map.of(), 60, List.of("bash", "ci/scripts/sbom-check.sh", "--bom", bom.toString(),
                "--image-tar", image.toString()));
    }

    /** A tarball as jib:buildTar writes it: manifest.json naming gzipped layers, the jars in app/libs of one. */
    private static Path jibTarball(Path dir, String... jars) throws IOException {
        Path layerRoot = Files.createDirectories(dir.resolve("layer/app/libs"));
        for (String jar : jars) {
            Files.writeString(layerRoot.resolve(jar), "jar");
        }
        Files.createDirectories(dir.resolve("layer/app/classes"));
        Files.writeString(dir.resolve("layer/app/classes/Main.class"), "class");
        Path image = dir.resolve("image");
        Files.createDirectories(image);
        exec(dir, "tar", "-czf", image.resolve("0123abcd.tar.gz").toString(), "-C", dir.resolve("layer").toString(), "app");
        Files.writeString(image.resolve("manifest.json"), "[{\"Config\":\"config.json\",\"RepoTags\":[\"notejam-backup:test\"],"
                + "\"Layers\":[\"0123abcd.tar.gz\"]}]");
        Files.writeString(image.resolve("config.json"), "{}");
        Path tarball = dir.resolve("jib-image.tar");
        exec(image, "tar", "-cf", tarball.toString(), "manifest.json", "config.json", "0123abcd.tar.gz");
        return tarball;
    }

    private static String library(String name, String version, String purl) {
        return "{\"type\":\"library\",\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"scope\":\"required\",\"purl\":\"" + purl + "\"}";
    }

    private static Path bom(Path dir, String file, String... components) throws IOException {
        return Files.writeString(dir.resolve(file), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                + String.join(",", components) + "]}");
    }

    private static void exec(Path dir, String... command) {
        ProcessRun run = ProcessRun.of(dir, Map.of(), 30, List.of(command));
        assertThat(run.exitCode()).as("%s", run).isZero();
    }
}
