package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Terraform checks from the Maven build: fmt, init (offline, through the provider mirror), validate and
 * {@code terraform test} for every module, the bootstrap and the platform stack once per environment. Each run
 * block becomes one JUnit test. AWS is mocked inside the .tftest.hcl files (mock_provider "aws"): no AWS API can
 * run here. Without Terraform the tests skip loudly, and fail when CI=true.
 */
class TerraformSuiteTest {

    private static final List<String> ENVIRONMENTS = List.of("dev", "test", "prod", "prod-dr");
    private static final List<String> COPIED_DIRS = List.of("modules", "stacks", "bootstrap", "tests");

    private final Path sources = Path.of(System.getProperty("terraform.sources", ".")).toAbsolutePath().normalize();
    private final Path environments = Path.of(System.getProperty("terraform.environments", "../environments")).toAbsolutePath().normalize();
    private final Path work = Path.of(System.getProperty("terraform.work", "target/terraform")).toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicNode> terraform() {
        Terraform terraform = requireTerraform();
        Path copy = copySources();

        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(dynamicTest("terraform fmt -check (modules, stacks, bootstrap, tests, environments/*/platform.tfvars)",
                () -> checkFormatting(terraform)));
        for (Path module : moduleDirs(copy)) {
            String name = copy.relativize(module).toString();
            nodes.add(dynamicContainer(name, Stream.of(module).flatMap(dir -> suite(terraform, copy, dir, name))));
        }
        return nodes.stream();
    }

    private Terraform requireTerraform() {
        Terraform.Availability availability = Terraform.locate(sources, work);
        if (availability.terraform().isPresent()) {
            return availability.terraform().get();
        }
        String message = "TERRAFORM TESTS NOT RUN: " + availability.problem();
        System.err.println("\n*** " + message + " ***\n");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: a missing tool is a failure)");
        }
        Assumptions.abort(message + " (skipped outside CI; with CI=true this fails)");
        return null;
    }

    /** Tests run on a copy under target/ so that lock files and state never land in the source tree. */
    private Path copySources() {
        Path copy = work.resolve("src");
        try {
            if (Files.exists(copy)) {
                try (Stream<Path> old = Files.walk(copy)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            for (String dir : COPIED_DIRS) {
                Path from = sources.resolve(dir);
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path file : (Iterable<Path>) files.filter(p -> !p.toString().contains("/.terraform"))::iterator) {
                        Path target = copy.resolve(dir).resolve(from.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(target);
                        }
                        else {
                            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return copy;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<Path> moduleDirs(Path copy) {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> modules = Files.list(copy.resolve("modules"))) {
            modules.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        dirs.add(copy.resolve("bootstrap"));
        dirs.add(copy.resolve("stacks/shared"));
        dirs.add(copy.resolve("stacks/platform"));
        return dirs;
    }

    private void checkFormatting(Terraform terraform) {
        List<String> problems = new ArrayList<>();
        for (String dir : COPIED_DIRS) {
            Terraform.Result result = terraform.run(sources, "fmt", "fmt", "-check", "-recursive", "-diff", "-no-color", dir);
            if (!result.ok()) {
                problems.add(result.describe());
            }
        }
        for (String env : ENVIRONMENTS) {
            Path tfvars = environments.resolve(env).resolve("platform.tfvars");
            Terraform.Result result = terraform.run(environments.resolve(env), "fmt", "fmt", "-check", "-diff", "-no-color", tfvars.toString());
            if (!result.ok()) {
                problems.add(result.describe());
            }
        }
        assertThat(problems).as("terraform fmt -check found unformatted files (run terraform fmt -recursive)").isEmpty();
    }

    /** init, validate, then every run block of terraform test; the stack once per environment. */
    private Stream<DynamicNode> suite(Terraform terraform, Path copy, Path dir, String name) {
        String dataKey = name.replace('/', '_');
        List<DynamicNode> nodes = new ArrayList<>();
        Terraform.Result[] init = new Terraform.Result[1];
        nodes.add(dynamicTest("init (offline, provider mirror)", () -> {
            progress("init " + name);
            init[0] = terraform.run(dir, dataKey, "init", "-backend=false", "-input=false", "-no-color");
            assertThat(init[0].ok()).as(init[0].describe()).isTrue();
        }));
        Path example = dir.resolve("examples/complete");
        boolean needsCaller = Files.exists(example);
        nodes.add(dynamicTest(needsCaller ? "validate (through examples/complete: module needs an aws.dr provider)" : "validate", () -> {
            requireInit(init);
            Terraform.Result result;
            if (needsCaller) {
                Terraform.Result exampleInit = terraform.run(example, dataKey + "_example", "init", "-backend=false", "-input=false", "-no-color");
                assertThat(exampleInit.ok()).as(exampleInit.describe()).isTrue();
                result = terraform.run(example, dataKey + "_example", "validate", "-no-color");
            }
            else {
                result = terraform.run(dir, dataKey, "validate", "-no-color");
            }
            assertThat(result.ok()).as(result.describe()).isTrue();
        }));
        if (name.equals("stacks/platform")) {
            nodes.add(dynamicContainer("guards (invalid inputs refused)",
                    lazyRuns(terraform, dir, dataKey, init, "guards", testArgs("-filter=tests/guards.tftest.hcl"))));
            for (String env : ENVIRONMENTS) {
                Path tfvars = environments.resolve(env).resolve("platform.tfvars");
                nodes.add(dynamicContainer("environment " + env + " (environments/" + env + "/platform.tfvars)",
                        lazyRuns(terraform, dir, dataKey, init, env, StackOutputs.environmentRunArgs(environments, env))));
            }
        }
        else {
            nodes.add(dynamicContainer("terraform test", lazyRuns(terraform, dir, dataKey, init, name, testArgs())));
        }
        return nodes.stream();
    }

    /** terraform test runs when JUnit reaches this container; each run block then reports as its own test. */
    private static List<String> testArgs(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("test", "-json", "-no-color"));
        args.addAll(List.of(extraArgs));
        return args;
    }

    private Stream<DynamicNode> lazyRuns(Terraform terraform, Path dir, String dataKey, Terraform.Result[] init,
            String label, List<String> args) {
        Supplier<Stream<DynamicNode>> supplier = () -> {
            requireInit(init);
            progress("terraform test " + label + " in " + dir.getFileName());
            Terraform.Result result = terraform.run(dir, dataKey, args.toArray(String[]::new));
            if (ENVIRONMENTS.contains(label)) {
                // The environment runs print the stack's outputs (-verbose): the IAM, capacity and add-on tests read them.
                StackOutputs.record(label, result.output());
            }
            TestRunReport report = TestRunReport.parse(result.output());
            progress("  " + report.summary() + " (" + result.millis() + " ms)");
            List<DynamicNode> tests = new ArrayList<>();
            for (TestRunReport.Run run : report.runs()) {
                tests.add(dynamicTest(run.displayName(), () -> assertThat(run.status())
                        .as("run %s: %s", run.name(), String.join("\n", run.diagnostics()))
                        .isEqualTo("pass")));
            }
            tests.add(dynamicTest("terraform test exit code and file-level diagnostics", () -> {
                assertThat(report.runs()).as("no run blocks reported:\n" + result.describe()).isNotEmpty();
                assertThat(result.exitCode()).as(String.join("\n", report.fileDiagnostics()) + "\n" + report.summary()).isZero();
            }));
            return tests.stream();
        };
        return Stream.of(supplier).flatMap(Supplier::get);
    }

    private static void requireInit(Terraform.Result[] init) {
        Assumptions.assumeTrue(init[0] != null && init[0].ok(), "init failed; see the init test");
    }

    private static void progress(String message) {
        System.out.println("[terraform] " + message);
    }
}
