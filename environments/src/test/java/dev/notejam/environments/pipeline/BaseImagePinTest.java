package dev.notejam.environments.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every base image the pipeline starts from is pulled by digest or built in the same run: job containers and
 * service containers of the workflows, the Jib base properties of the poms, the FROM lines of the Dockerfiles the
 * pipeline builds, and image references in the scripts the workflows call. A tag alone can be moved under us.
 */
class BaseImagePinTest {

    private static final Path ROOT = RepoFiles.root();
    private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");
    /** Public images written as name:tag in a script line (comments are skipped). */
    private static final Pattern SCRIPT_IMAGE = Pattern.compile(
            "(?<![\\w./-])((?:[a-z0-9.-]+/)*(?:eclipse-temurin|debian|ubuntu|postgres|redis|alpine|busybox|node|maven"
                    + "|amazoncorretto|python|golang|trivy):[A-Za-z0-9_.-]+(?:@sha256:[0-9a-f]+)?)");
    private static final Pattern SCRIPT_CALL = Pattern.compile("ci/scripts/[\\w.-]+\\.sh");
    private static final Pattern POM_IMAGE = Pattern.compile("<((?:backup\\.)?base\\.image)>([^<]+)</\\1>|<from>\\s*<image>([^<]+)</image>");
    private static final Pattern FROM = Pattern.compile("(?im)^\\s*FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern ARG = Pattern.compile("(?im)^\\s*ARG\\s+(\\w+)=(\\S+)");

    @Test
    void everyBaseThePipelineUsesIsPinnedByDigestOrBuiltInTheSameRun() {
        List<String> unpinned = new ArrayList<>();
        unpinned.addAll(workflowImages());
        unpinned.addAll(jibBases());
        unpinned.addAll(dockerfileBases());
        unpinned.addAll(scriptImages());
        assertThat(unpinned).as("base images referenced by a tag only").isEmpty();
    }

    @Test
    void theCheckFindsATagOnlyReferenceInEachPlace() {
        assertThat(unpinnedInWorkflow("t.yml", Map.of("jobs", Map.of("verify", Map.of("container", "debian:bookworm",
                "services", Map.of("db", Map.of("image", "postgres:16@sha256:" + "a".repeat(64))),
                "steps", List.of(Map.of("uses", "docker://alpine:3")))))))
                .containsExactlyInAnyOrder("t.yml job verify container: debian:bookworm", "t.yml job verify step: docker://alpine:3");
        assertThat(unpinnedInPom("p.xml", "<base.image>eclipse-temurin:25-jre</base.image>")).hasSize(1);
        assertThat(unpinnedInPom("p.xml", "<base.image>eclipse-temurin:25-jre@sha256:" + "b".repeat(64) + "</base.image>")).isEmpty();
        assertThat(unpinnedInDockerfile("D", "ARG BASE=eclipse-temurin:25-jre\nFROM ${BASE}\n")).hasSize(1);
        assertThat(unpinnedInDockerfile("D", "FROM maven:3@sha256:" + "c".repeat(64) + " AS build\nFROM build\n")).isEmpty();
        assertThat(unpinnedInScript("s.sh", "docker run --rm redis:7 redis-cli ping\n# redis:7 in a comment\n"))
                .containsExactly("s.sh: redis:7");
    }

    private List<String> workflowImages() {
        List<String> found = new ArrayList<>();
        for (Path file : RepoFiles.list(ROOT.resolve(".github/workflows"), "*.yml")) {
            found.addAll(unpinnedInWorkflow(file.getFileName().toString(), RepoFiles.yaml(file)));
        }
        return found;
    }

    private static List<String> unpinnedInWorkflow(String name, Map<?, ?> workflow) {
        List<String> found = new ArrayList<>();
        Map<?, ?> jobs = (Map<?, ?>) workflow.get("jobs");
        jobs.forEach((id, value) -> {
            Map<?, ?> job = (Map<?, ?>) value;
            Object container = job.get("container");
            String containerImage = container instanceof Map<?, ?> m ? String.valueOf(m.get("image")) : container == null ? null : container.toString();
            if (containerImage != null && !DIGEST.matcher(containerImage).find()) {
                found.add(name + " job " + id + " container: " + containerImage);
            }
            if (job.get("services") instanceof Map<?, ?> services) {
                services.forEach((service, spec) -> {
                    String image = String.valueOf(((Map<?, ?>) spec).get("image"));
                    if (!DIGEST.matcher(image).find()) {
                        found.add(name + " job " + id + " service " + service + ": " + image);
                    }
                });
            }
            if (job.get("steps") instanceof List<?> steps) {
                for (Object step : steps) {
                    String uses = String.valueOf(((Map<?, ?>) step).get("uses"));
                    if (uses.startsWith("docker://") && !DIGEST.matcher(uses).find()) {
                        found.add(name + " job " + id + " step: " + uses);
                    }
                }
            }
        });
        return found;
    }

    private List<String> jibBases() {
        List<String> found = new ArrayList<>();
        String backupBase = builtBackupBase();
        for (String pom : gitFiles("pom.xml", "*/pom.xml")) {
            for (String reference : unpinnedInPom(pom, RepoFiles.read(ROOT.resolve(pom)))) {
                // the backup base: built by backup-base-image.sh in every job that builds images (WorkflowDefinitionsTest),
                // its image ID checked by build-images.sh before Jib layers on it
                if (!reference.endsWith(": " + backupBase)) {
                    found.add(reference);
                }
            }
        }
        return found;
    }

    private static List<String> unpinnedInPom(String name, String pom) {
        List<String> found = new ArrayList<>();
        Matcher m = POM_IMAGE.matcher(pom);
        while (m.find()) {
            String image = (m.group(2) != null ? m.group(2) : m.group(3)).trim();
            if (!image.startsWith("${") && !DIGEST.matcher(image).find()) {
                found.add(name + ": " + image);
            }
        }
        return found;
    }

    private List<String> dockerfileBases() {
        List<String> found = new ArrayList<>();
        for (String file : gitFiles("*Dockerfile*")) {
            found.addAll(unpinnedInDockerfile(file, RepoFiles.read(ROOT.resolve(file))));
        }
        return found;
    }

    private static List<String> unpinnedInDockerfile(String name, String dockerfile) {
        Map<String, String> args = new java.util.HashMap<>();
        Matcher arg = ARG.matcher(dockerfile);
        while (arg.find()) {
            args.put(arg.group(1), arg.group(2));
        }
        Set<String> stages = new LinkedHashSet<>();
        List<String> found = new ArrayList<>();
        Matcher from = FROM.matcher(dockerfile);
        while (from.find()) {
            String image = from.group(1);
            Matcher variable = Pattern.compile("^\\$\\{?(\\w+)}?$").matcher(image);
            if (variable.find()) {
                image = args.getOrDefault(variable.group(1), image);
            }
            if (!image.equals("scratch") && !stages.contains(image) && !DIGEST.matcher(image).find()) {
                found.add(name + ": FROM " + image);
            }
            if (from.group(2) != null) {
                stages.add(from.group(2));
            }
        }
        return found;
    }

    /** The scripts the workflows call, and the ci/scripts they call in turn. */
    private List<String> scriptImages() {
        Set<String> scripts = new LinkedHashSet<>();
        for (Path file : RepoFiles.list(ROOT.resolve(".github/workflows"), "*.yml")) {
            SCRIPT_CALL.matcher(RepoFiles.read(file)).results().forEach(r -> scripts.add(r.group()));
        }
        List<String> queue = new ArrayList<>(scripts);
        while (!queue.isEmpty()) {
            String script = queue.remove(0);
            SCRIPT_CALL.matcher(RepoFiles.read(ROOT.resolve(script))).results().map(r -> r.group())
                    .filter(scripts::add).forEach(queue::add);
        }
        scripts.add("ci/scripts/lib/common.sh");
        List<String> found = new ArrayList<>();
        for (String script : scripts) {
            found.addAll(unpinnedInScript(script, RepoFiles.read(ROOT.resolve(script))));
        }
        return found;
    }

    private static List<String> unpinnedInScript(String name, String text) {
        List<String> found = new ArrayList<>();
        for (String line : text.lines().map(String::strip).filter(l -> !l.startsWith("#")).toList()) {
            Matcher m = SCRIPT_IMAGE.matcher(line);
            while (m.find()) {
                if (!DIGEST.matcher(m.group(1)).find()) {
                    found.add(name + ": " + m.group(1));
                }
            }
        }
        return found;
    }

    /** The name backup-jobs/pom.xml gives the backup base, which ci/scripts/backup-base-image.sh builds. */
    private static String builtBackupBase() {
        Matcher m = Pattern.compile("<backup\\.base\\.image>([^<]+)</backup\\.base\\.image>")
                .matcher(RepoFiles.read(ROOT.resolve("backup-jobs/pom.xml")));
        assertThat(m.find()).as("backup-jobs/pom.xml names the backup base").isTrue();
        assertThat(RepoFiles.read(ROOT.resolve("ci/scripts/backup-base-image.sh"))).contains("backup_base_image")
                .contains("target/backup-base.env");
        assertThat(RepoFiles.read(ROOT.resolve("ci/scripts/build-images.sh"))).contains("BACKUP_BASE_IMAGE_ID");
        return m.group(1);
    }

    private static List<String> gitFiles(String... patterns) {
        List<String> command = new ArrayList<>(List.of("git", "ls-files", "--"));
        command.addAll(List.of(patterns));
        return ProcessRun.of(ROOT, Map.of(), 30, command).output().lines().filter(l -> !l.isBlank()).toList();
    }
}
