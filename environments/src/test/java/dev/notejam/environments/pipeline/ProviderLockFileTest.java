package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed provider lock files work on GitHub's runners (linux_amd64) and on the machines developers use
 * (darwin_amd64, darwin_arm64, linux_arm64, windows_amd64, ...): each lists every zip hash ("zh:") of the AWS
 * provider 5.100.0 release plus the h1 hash of the linux_amd64 package, which Terraform computes here from this
 * machine's offline mirror, and `terraform init -lockfile=readonly` against that mirror accepts it.
 */
class ProviderLockFileTest {

    /** The roots someone runs `terraform init` in (pipelines: platform; first install: bootstrap, shared). */
    private static final List<String> ROOTS = List.of("infra-terraform/bootstrap", "infra-terraform/stacks/shared",
            "infra-terraform/stacks/platform");

    private static final String AWS = "registry.terraform.io/hashicorp/aws";

    /**
     * SHA-256 of every file in terraform-provider-aws_5.100.0_SHA256SUMS that Terraform records: the 14 platform
     * zips of the release (darwin amd64/arm64, freebsd 386/amd64/arm, linux 386/amd64/arm/arm64, openbsd
     * 386/amd64/arm, windows 386/amd64) and the registry manifest (9b12af85..., the same file in every release).
     * The registry is unreachable here: read from public repositories' lock files for aws 5.100.0 written by
     * `terraform init` / `providers lock` on linux_amd64, windows_amd64 and on all 14 platforms, which agree
     * (docs/containers-and-pipelines.md, "Provider lock files"). Refresh: `terraform providers lock -platform=...`.
     */
    private static final Set<String> RELEASE_ZIP_HASHES = Set.of(
            "054b8dd49f0549c9a7cc27d159e45327b7b65cf404da5e5a20da154b90b8a644",
            "0b97bf8d5e03d15d83cc40b0530a1f84b459354939ba6f135a0086c20ebbe6b2",
            "1589a2266af699cbd5d80737a0fe02e54ec9cf2ca54e7e00ac51c7359056f274",
            "6330766f1d85f01ae6ea90d1b214b8b74cc8c1badc4696b165b36ddd4cc15f7b",
            "7c8c2e30d8e55291b86fcb64bdf6c25489d538688545eb48fd74ad622e5d3862",
            "99b1003bd9bd32ee323544da897148f46a527f622dc3971af63ea3e251596342",
            "9b12af85486a96aedd8d7984b0ff811a4b42e3d88dad1a3fb4c0b580d04fa425",
            "9f8b909d3ec50ade83c8062290378b1ec553edef6a447c56dadc01a99f4eaa93",
            "aaef921ff9aabaf8b1869a86d692ebd24fbd4e12c21205034bb679b9caf883a2",
            "ac882313207aba00dd5a76dbd572a0ddc818bb9cbf5c9d61b28fe30efaec951e",
            "bb64e8aff37becab373a1a0cc1080990785304141af42ed6aa3dd4913b000421",
            "dfe495f6621df5540d9c92ad40b8067376350b005c637ea6efac5dc15028add4",
            "f0ddf0eaf052766cfe09dea8200a946519f653c384ab4336e2a4a64fdd6310e9",
            "f1b7e684f4c7ae1eed272b6de7d2049bb87a0275cb04dbb7cda6636f600699c9",
            "ff461571e3f233699bf690db319dfe46aec75e58726636a0d97dd9ac6e32fb70");

    private static final Pattern AWS_BLOCK = Pattern.compile(
            "provider \"" + Pattern.quote(AWS) + "\" \\{\\s*version\\s*=\\s*\"([^\"]+)\".*?hashes = \\[(.*?)\\]", Pattern.DOTALL);
    private static final Pattern HASH = Pattern.compile("\"((?:h1|zh):[^\"]+)\"");

    private final Path root = RepoFiles.root();

    @Test
    void everyRootThatIsInitialisedCommitsALockFileAndNoOtherOneIsCommitted() {
        for (String dir : ROOTS) {
            assertThat(root.resolve(dir).resolve(".terraform.lock.hcl")).as(dir).isRegularFile();
        }
        List<String> committed = ProcessRun.of(root, Map.of(), 30, List.of("git", "ls-files", "*.terraform.lock.hcl"))
                .output().lines().map(l -> l.replace("/.terraform.lock.hcl", "")).sorted().toList();
        assertThat(committed).containsExactlyInAnyOrderElementsOf(ROOTS);
    }

    @Test
    void everyLockFileListsEveryPlatformsZipHashOfTheRelease() {
        for (String dir : ROOTS) {
            Set<String> hashes = awsHashes(RepoFiles.read(root.resolve(dir).resolve(".terraform.lock.hcl")), dir);
            Set<String> zipHashes = new TreeSet<>();
            hashes.stream().filter(h -> h.startsWith("zh:")).forEach(h -> zipHashes.add(h.substring(3)));
            assertThat(zipHashes).as(dir + ": zh: hashes (14 platform zips + the manifest)")
                    .containsExactlyInAnyOrderElementsOf(RELEASE_ZIP_HASHES);
            assertThat(hashes.stream().filter(h -> h.startsWith("h1:"))).as(dir + ": h1 hashes").isNotEmpty();
        }
    }

    @Test
    void theH1HashIsTheOneTerraformComputesHereFromTheLinuxAmd64PackageAndOfflineInitAcceptsEachLockFile(
            @TempDir Path work) throws IOException {
        Path terraform = RequiredTool.require("terraform", "ci/setup.d/30-terraform.sh");
        Path mirror = mirror().orElseGet(() -> {
            RequiredTool.require("terraform-provider-aws-5.100.0-mirror", "ci/setup.d/30-terraform.sh: /opt/tf-plugins or TF_PLUGIN_MIRROR");
            throw new IllegalStateException("unreachable");
        });
        Map<String, String> env = Map.of("TF_CLI_CONFIG_FILE", cliConfig(work, mirror).toString(), "TF_IN_AUTOMATION", "1",
                "CHECKPOINT_DISABLE", "1");

        // The h1 of this machine's linux_amd64 package, computed by Terraform from a lock-less copy.
        Path fresh = copySources(work.resolve("fresh"));
        Files.delete(fresh.resolve("bootstrap/.terraform.lock.hcl"));
        ProcessRun lock = ProcessRun.of(fresh.resolve("bootstrap"), env, 300, List.of(terraform.toString(), "providers", "lock",
                "-fs-mirror=" + mirror, "-platform=linux_amd64", "-no-color"));
        assertThat(lock.exitCode()).as(lock.toString()).isZero();
        Set<String> computed = awsHashes(Files.readString(fresh.resolve("bootstrap/.terraform.lock.hcl")), "computed");
        assertThat(computed).as("providers lock from an unpacked mirror records the h1 only").hasSize(1);
        String linuxAmd64 = computed.iterator().next();
        assertThat(linuxAmd64).startsWith("h1:");

        Path copy = copySources(work.resolve("committed"));
        for (String dir : ROOTS) {
            Path lockFile = root.resolve(dir).resolve(".terraform.lock.hcl");
            assertThat(awsHashes(RepoFiles.read(lockFile), dir)).as(dir).contains(linuxAmd64);
            Path rootCopy = copy.resolve(dir.replace("infra-terraform/", ""));
            ProcessRun init = ProcessRun.of(rootCopy, env, 300, List.of(terraform.toString(), "init", "-backend=false",
                    "-input=false", "-lockfile=readonly", "-no-color"));
            assertThat(init.exitCode()).as(init.toString()).isZero();
            assertThat(Files.readString(rootCopy.resolve(".terraform.lock.hcl"))).as(dir + " unchanged by init")
                    .isEqualTo(RepoFiles.read(lockFile));
        }

        // The same init refuses a lock file whose h1 does not match the package: the check above can fail.
        Path tampered = copy.resolve("bootstrap");
        deleteTree(tampered.resolve(".terraform"));
        Files.writeString(tampered.resolve(".terraform.lock.hcl"), Files.readString(tampered.resolve(".terraform.lock.hcl"))
                .replace(linuxAmd64, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        ProcessRun refused = ProcessRun.of(tampered, env, 300, List.of(terraform.toString(), "init", "-backend=false",
                "-input=false", "-lockfile=readonly", "-no-color"));
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.output()).containsIgnoringCase("checksum");
    }

    private static Set<String> awsHashes(String lockFile, String where) {
        Matcher block = AWS_BLOCK.matcher(lockFile);
        assertThat(block.find()).as(where + ": a " + AWS + " block").isTrue();
        assertThat(block.group(1)).as(where + ": provider version").isEqualTo("5.100.0");
        Set<String> hashes = new LinkedHashSet<>();
        Matcher hash = HASH.matcher(block.group(2));
        while (hash.find()) {
            hashes.add(hash.group(1));
        }
        return hashes;
    }

    /** modules, tests (mock data), stacks and bootstrap: what the roots reference, without .terraform dirs. */
    private Path copySources(Path to) {
        for (String dir : List.of("bootstrap", "modules", "stacks", "tests")) {
            Path from = root.resolve("infra-terraform").resolve(dir);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : (Iterable<Path>) files.filter(p -> !from.relativize(p).toString()
                        .matches("(.*/)?\\.terraform(/.*)?"))::iterator) {
                    Path target = to.resolve(dir).resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    }
                    else {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return to;
    }

    private Path cliConfig(Path work, Path mirror) throws IOException {
        Path config = work.resolve("terraformrc");
        Files.writeString(config, RepoFiles.read(root.resolve("infra-terraform/config/terraformrc.template"))
                .replace("@MIRROR_DIR@", mirror.toString()));
        return config;
    }

    private static Optional<Path> mirror() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("TF_PLUGIN_MIRROR")).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of("/opt/tf-plugins"));
        candidates.add(Path.of(System.getProperty("user.home"), ".terraform.d", "plugins"));
        return candidates.stream().filter(c -> Files.isDirectory(c.resolve(AWS + "/5.100.0/linux_amd64"))).findFirst();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
