package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;

/**
 * R1 capacity: at the HPA's maximum plus a rolling update's surge, the app's pods of one zone, together with every
 * system pod of the add-on layer (conservatively all in that zone), fit on that zone's node group at its maximum
 * size, after each node's kubelet reservation and the add-on DaemonSets. The app's figures come from the chart
 * rendered with the environment's values and the stack's helm_values (what deploy.sh passes); the DaemonSet and
 * system-pod requests from the stack's addon_layer; the node type and bounds from its node_pool. Pods are packed
 * first-fit-decreasing, a model of the scheduler (on paper), not the scheduler itself.
 */
class CapacityTest {

    /** EC2 sizes (vCPU, MiB) and the VPC CNI's max pods per node (ENIs x (IPs - 1) + 2, no prefix delegation). */
    private record InstanceType(int vcpu, int memoryMib, int maxPods) {
    }

    private static final Map<String, InstanceType> INSTANCE_TYPES = Map.of(
            "t3.large", new InstanceType(2, 8192, 35),
            "t3.xlarge", new InstanceType(4, 16384, 58),
            "m6i.large", new InstanceType(2, 8192, 29),
            "m6a.large", new InstanceType(2, 8192, 29),
            "m6i.xlarge", new InstanceType(4, 16384, 58),
            "m6a.xlarge", new InstanceType(4, 16384, 58));

    /** A pod's requests; name for the report. */
    record Pod(String name, int cpuMilli, int memoryMib) {
    }

    private static final Path REPO = Path.of(System.getProperty("terraform.sources", ".")).toAbsolutePath().normalize().getParent();

    @ParameterizedTest(name = "{0}: HPA max + surge and the add-on layer fit the node groups at their maximum")
    @ValueSource(strings = {"dev", "test", "prod", "prod-dr"})
    void burstFits(String env) {
        List<Map<String, Object>> rendered = render(env);
        Map<String, Object> hpa = find(rendered, "HorizontalPodAutoscaler").orElse(null);
        Map<String, Object> deployment = find(rendered, "Deployment").orElseThrow(() -> new AssertionError("no Deployment rendered for " + env));
        int maxReplicas = hpa == null ? intAt(deployment, "spec", "replicas") : intAt(hpa, "spec", "maxReplicas");
        int surge = surge(String.valueOf(at(deployment, "spec", "strategy", "rollingUpdate", "maxSurge")), maxReplicas);
        Pod app = podOf(deployment);

        JsonNode nodePool = StackOutputs.output(env, "node_pool");
        JsonNode layer = StackOutputs.output(env, "addon_layer");
        int zones = nodePool.path("scaling").size();
        int maxNodesPerZone = Integer.MAX_VALUE;
        for (JsonNode zone : nodePool.path("scaling")) {
            maxNodesPerZone = Math.min(maxNodesPerZone, zone.path("max").asInt());
        }
        InstanceType type = smallest(nodePool.path("instance_types"));

        List<Pod> daemonSets = new ArrayList<>();
        List<Pod> systemPods = new ArrayList<>();
        for (var entry : layer.path("system_pods").properties()) {
            JsonNode p = entry.getValue();
            Pod pod = new Pod(entry.getKey(), p.path("cpu_m").asInt(), p.path("memory_mi").asInt());
            if ("DaemonSet".equals(p.path("kind").asString())) {
                daemonSets.add(pod);
            }
            else {
                for (int i = 0; i < p.path("replicas").asInt(); i++) {
                    systemPods.add(pod);
                }
            }
        }
        render(env, "notejam-backup").stream().filter(o -> "CronJob".equals(o.get("kind"))).findFirst()
                .ifPresent(cron -> systemPods.add(podOf(cron)));

        int allocCpu = type.vcpu() * 1000 - reservedCpuMilli(type.vcpu());
        // The kubelet sees ~94 % of the nominal memory; EKS reserves 255 MiB + 11 MiB per pod slot, eviction at 100 MiB.
        int allocMem = (int) (type.memoryMib() * 0.94) - (255 + 11 * type.maxPods()) - 100;
        int freeCpu = allocCpu - daemonSets.stream().mapToInt(Pod::cpuMilli).sum();
        int freeMem = allocMem - daemonSets.stream().mapToInt(Pod::memoryMib).sum();
        int freeSlots = type.maxPods() - daemonSets.size();

        // maxSkew 1 over the zones: the fullest zone holds ceil(pods / zones).
        int appPodsPerZone = (maxReplicas + surge + zones - 1) / zones;
        List<Pod> zonePods = new ArrayList<>(systemPods);
        for (int i = 0; i < appPodsPerZone; i++) {
            zonePods.add(app);
        }
        int nodesNeeded = firstFitDecreasing(zonePods, freeCpu, freeMem, freeSlots);
        String report = String.format(
                "%s: HPA max %d + surge %d = %d app pods of %dm/%dMi over %d zones -> %d in the fullest zone, plus %d system pods "
                        + "(%dm/%dMi); node %s allocatable %dm/%dMi, after %d DaemonSets %dm/%dMi free; "
                        + "nodes needed per zone %d, node group max %d",
                env, maxReplicas, surge, maxReplicas + surge, app.cpuMilli(), app.memoryMib(), zones, appPodsPerZone,
                systemPods.size(), systemPods.stream().mapToInt(Pod::cpuMilli).sum(), systemPods.stream().mapToInt(Pod::memoryMib).sum(),
                nodePool.path("instance_types").get(0).asString(), allocCpu, allocMem, daemonSets.size(), freeCpu, freeMem,
                nodesNeeded, maxNodesPerZone);
        System.out.println("[capacity] " + report);
        assertThat(nodesNeeded).as(report).isLessThanOrEqualTo(maxNodesPerZone);
    }

    /** EKS's kubelet CPU reservation: 6 % of the first core, 1 % of the second, 0.5 % of cores 3-4, 0.25 % above. */
    static int reservedCpuMilli(int vcpu) {
        double reserved = 60 + (vcpu >= 2 ? 10 : 0) + 5 * Math.max(0, Math.min(vcpu, 4) - 2) + 2.5 * Math.max(0, vcpu - 4);
        return (int) Math.ceil(reserved);
    }

    /** Nodes needed to place the pods, largest CPU first, each on the first node with room. */
    static int firstFitDecreasing(List<Pod> pods, int freeCpu, int freeMem, int freeSlots) {
        List<int[]> nodes = new ArrayList<>();
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparingInt(Pod::cpuMilli).thenComparingInt(Pod::memoryMib).reversed());
        for (Pod pod : sorted) {
            assertThat(pod.cpuMilli() <= freeCpu && pod.memoryMib() <= freeMem)
                    .as("pod %s (%dm/%dMi) fits no empty node (%dm/%dMi free)", pod.name(), pod.cpuMilli(), pod.memoryMib(), freeCpu, freeMem)
                    .isTrue();
            int[] target = nodes.stream().filter(n -> n[0] >= pod.cpuMilli() && n[1] >= pod.memoryMib() && n[2] >= 1).findFirst()
                    .orElseGet(() -> {
                        int[] fresh = {freeCpu, freeMem, freeSlots};
                        nodes.add(fresh);
                        return fresh;
                    });
            target[0] -= pod.cpuMilli();
            target[1] -= pod.memoryMib();
            target[2] -= 1;
        }
        return nodes.size();
    }

    static int surge(String maxSurge, int replicas) {
        if (maxSurge.endsWith("%")) {
            return (int) Math.ceil(replicas * Integer.parseInt(maxSurge.substring(0, maxSurge.length() - 1)) / 100.0);
        }
        return Integer.parseInt(maxSurge);
    }

    static int cpuMilli(String quantity) {
        return quantity.endsWith("m") ? Integer.parseInt(quantity.substring(0, quantity.length() - 1))
                : (int) Math.round(Double.parseDouble(quantity) * 1000);
    }

    static int memoryMib(String quantity) {
        if (quantity.endsWith("Gi")) {
            return (int) Math.round(Double.parseDouble(quantity.substring(0, quantity.length() - 2)) * 1024);
        }
        if (quantity.endsWith("Mi")) {
            return Integer.parseInt(quantity.substring(0, quantity.length() - 2));
        }
        throw new IllegalArgumentException("memory quantity not modelled: " + quantity);
    }

    private static InstanceType smallest(JsonNode types) {
        InstanceType smallest = null;
        for (JsonNode t : types) {
            InstanceType type = INSTANCE_TYPES.get(t.asString());
            assertThat(type).as("instance type %s is not in CapacityTest's table", t.asString()).isNotNull();
            if (smallest == null || type.vcpu() < smallest.vcpu()) {
                smallest = type;
            }
        }
        return smallest;
    }

    /** Requests of all containers of a workload's pod template (Deployment or CronJob). */
    @SuppressWarnings("unchecked")
    private static Pod podOf(Map<String, Object> workload) {
        Map<String, Object> template = "CronJob".equals(workload.get("kind"))
                ? (Map<String, Object>) at(workload, "spec", "jobTemplate", "spec", "template")
                : (Map<String, Object>) at(workload, "spec", "template");
        int cpu = 0;
        int mem = 0;
        for (Object c : (List<Object>) at(template, "spec", "containers")) {
            Map<String, Object> requests = (Map<String, Object>) at((Map<String, Object>) c, "resources", "requests");
            cpu += cpuMilli(String.valueOf(requests.get("cpu")));
            mem += memoryMib(String.valueOf(requests.get("memory")));
        }
        return new Pod(String.valueOf(at(workload, "metadata", "name")), cpu, mem);
    }

    private static List<Map<String, Object>> render(String env) {
        return render(env, "notejam");
    }

    /** helm template of a chart with the environment's values file, then the stack's helm_values (as deploy.sh). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(String env, String chart) {
        Path helm = helm();
        // environments/<env>/notejam.values.yaml and backup.values.yaml (DESIGN.md section 7).
        Path values = REPO.resolve("environments").resolve(env).resolve(chart.replace("notejam-", "") + ".values.yaml");
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", chart, REPO.resolve("helm-charts/charts").resolve(chart).toString(),
                "--namespace", "notejam", "-f", values.toString()));
        JsonNode stackValues = StackOutputs.forEnvironment(env).path("helm_values").path("value").path(chart);
        try {
            if (!stackValues.isMissingNode() && !stackValues.isNull()) {
                Path file = Files.createTempFile("capacity-" + env + "-" + chart, ".json");
                Files.writeString(file, stackValues.toString());
                command.addAll(List.of("-f", file.toString()));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("helm template timed out");
            }
            assertThat(process.exitValue()).as("helm template %s for %s:\n%s", chart, env, output).isZero();
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object doc : new Yaml().loadAll(output)) {
                if (doc instanceof Map<?, ?> map) {
                    objects.add((Map<String, Object>) map);
                }
            }
            return objects;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static Path helm() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("HELM")).map(Path::of).ifPresent(candidates::add);
        candidates.add(REPO.resolve("helm-charts/.tools/helm/helm"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(dir, "helm"));
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = "CAPACITY TEST NOT RUN: no helm binary (HELM, helm-charts/.tools/helm/helm, PATH); ci/setup.d installs it";
        System.err.println("\n*** " + message + " ***\n");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    private static Optional<Map<String, Object>> find(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> map, String... path) {
        Object current = map;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new AssertionError("missing " + String.join(".", path) + " in rendered " + map.get("kind"));
            }
            current = ((Map<String, Object>) m).get(key);
        }
        return current;
    }

    private static int intAt(Map<String, Object> map, String... path) {
        return ((Number) at(map, path)).intValue();
    }
}
