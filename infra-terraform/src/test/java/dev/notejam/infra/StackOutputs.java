package dev.notejam.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The platform stack's outputs for one environment, as {@code terraform test -json -verbose} prints them after the
 * environment run applied the stack against the mocked AWS provider (environments/&lt;env&gt;/platform.tfvars).
 * Computed attributes (ARNs, IDs) are the mock's values; names, CIDRs, versions and policies are the real ones.
 * Each environment is applied once per JVM: {@link TerraformSuiteTest} records its runs here, and a test class that
 * runs first makes the run itself.
 */
final class StackOutputs {

    static final String ENVIRONMENT_RUN = "requirements_hold_for_this_environment";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();
    /** env -> resource address in the state (module.x[0].type.name[key]) -> its attribute values. */
    private static final Map<String, Map<String, JsonNode>> RESOURCES = new ConcurrentHashMap<>();

    private StackOutputs() {
    }

    /** Arguments of the environment run; -verbose makes terraform print the state with its outputs. */
    static List<String> environmentRunArgs(Path environments, String env) {
        return List.of("test", "-json", "-verbose", "-no-color", "-filter=tests/environment.tftest.hcl",
                "-var-file=" + environments.resolve(env).resolve("platform.tfvars"));
    }

    /** Keeps the outputs of the environment run found in terraform's -json -verbose output, if it applied. */
    static void record(String env, String jsonLines) {
        stateIn(jsonLines).ifPresent(state -> {
            Map<String, JsonNode> resources = new java.util.TreeMap<>();
            collectResources(state.path("root_module"), resources);
            RESOURCES.put(env, resources);
        });
        outputsIn(jsonLines).ifPresent(outputs -> {
            CACHE.put(env, outputs);
            try {
                // Kept for reading by hand and, with -Dnotejam.reuseStackOutputs=true, for quick reruns of one test.
                Files.createDirectories(saved(env).getParent());
                Files.writeString(saved(env), outputs.toPrettyString());
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    private static Path saved(String env) {
        Path work = Path.of(System.getProperty("terraform.work", "target/terraform")).toAbsolutePath().normalize();
        return work.resolve("stack-outputs").resolve(env + ".json");
    }

    /** Output name -> value of the stack for env, applying it under the mock if no run recorded it yet. */
    static synchronized JsonNode forEnvironment(String env) {
        JsonNode cached = CACHE.get(env);
        if (cached != null) {
            return cached;
        }
        if (Boolean.getBoolean("notejam.reuseStackOutputs") && Files.exists(saved(env))) {
            try {
                CACHE.put(env, JSON.readTree(Files.readString(saved(env))));
                return CACHE.get(env);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        Path sources = Path.of(System.getProperty("terraform.sources", ".")).toAbsolutePath().normalize();
        Path environments = Path.of(System.getProperty("terraform.environments", "../environments")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("terraform.work", "target/terraform")).toAbsolutePath().normalize();
        Terraform terraform = requireTerraform(sources, work);
        Path copy = copy(sources, work.resolve("stack-outputs-src"));
        Path stack = copy.resolve("stacks/platform");
        Terraform.Result init = terraform.run(stack, "stack_outputs", "init", "-backend=false", "-input=false", "-no-color");
        Assertions.assertTrue(init.ok(), init::describe);
        System.out.println("[terraform] stack outputs for " + env + " (terraform test -verbose)");
        Terraform.Result result = terraform.run(stack, "stack_outputs", environmentRunArgs(environments, env).toArray(String[]::new));
        record(env, result.output());
        JsonNode outputs = CACHE.get(env);
        Assertions.assertNotNull(outputs, () -> "the " + env + " environment run printed no state:\n"
                + TestRunReport.parse(result.output()).summary() + "\n" + String.join("\n", TestRunReport.parse(result.output()).fileDiagnostics()));
        return outputs;
    }

    /** The value of one output. */
    static JsonNode output(String env, String name) {
        JsonNode value = forEnvironment(env).path(name).path("value");
        Assertions.assertFalse(value.isMissingNode(), () -> "stack output " + name + " missing for " + env);
        return value;
    }

    /** The resources of the environment run's state, address -> attribute values (applied under the mock). */
    static Map<String, JsonNode> resources(String env) {
        forEnvironment(env);
        Map<String, JsonNode> resources = RESOURCES.get(env);
        Assertions.assertNotNull(resources, () -> "no state resources recorded for " + env
                + " (-Dnotejam.reuseStackOutputs=true keeps outputs only: run without it)");
        return resources;
    }

    private static void collectResources(JsonNode module, Map<String, JsonNode> into) {
        for (JsonNode resource : module.path("resources")) {
            into.put(resource.path("address").asString(), resource.path("values"));
        }
        for (JsonNode child : module.path("child_modules")) {
            collectResources(child, into);
        }
    }

    private static Optional<JsonNode> outputsIn(String jsonLines) {
        return stateIn(jsonLines).map(state -> state.path("outputs"));
    }

    private static Optional<JsonNode> stateIn(String jsonLines) {
        for (String line : jsonLines.split("\n")) {
            if (!line.startsWith("{") || !line.contains("\"test_state\"")) {
                continue;
            }
            JsonNode message = JSON.readTree(line);
            if ("test_state".equals(message.path("type").asString("")) && ENVIRONMENT_RUN.equals(message.path("@testrun").asString(""))) {
                return Optional.of(message.path("test_state"));
            }
        }
        return Optional.empty();
    }

    private static Terraform requireTerraform(Path sources, Path work) {
        Terraform.Availability availability = Terraform.locate(sources, work);
        if (availability.terraform().isPresent()) {
            return availability.terraform().get();
        }
        String message = "TERRAFORM STACK OUTPUTS NOT AVAILABLE: " + availability.problem();
        System.err.println("\n*** " + message + " ***\n");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: a missing tool is a failure)");
        }
        Assumptions.abort(message + " (skipped outside CI; with CI=true this fails)");
        return null;
    }

    private static Path copy(Path sources, Path target) {
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            for (String dir : List.of("modules", "stacks", "tests")) {
                Path from = sources.resolve(dir);
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path file : (Iterable<Path>) files.filter(p -> !p.toString().contains("/.terraform"))::iterator) {
                        Path to = target.resolve(dir).resolve(from.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(to);
                        }
                        else {
                            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return target;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
