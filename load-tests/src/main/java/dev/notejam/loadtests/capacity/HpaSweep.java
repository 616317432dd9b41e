package dev.notejam.loadtests.capacity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.notejam.loadtests.hpa.ControllerSettings;
import dev.notejam.loadtests.hpa.HpaController;
import dev.notejam.loadtests.hpa.HpaSpec;
import dev.notejam.loadtests.traffic.LoadProfile;
import dev.notejam.loadtests.traffic.TrafficShape;

/**
 * Which CPU target lets the prod HPA absorb the 4x burst? Runs the capacity model for each target in
 * {@link #TARGETS}, with the prod chart's other settings, for both scenarios and for two start-up costs: the
 * measured default start and the measured fast-start mode (notejam-app/BENCHMARKS.md, passed in because it is
 * measured there). Typical traffic is held fixed at what the prod values are sized for (the prod minimum replicas at
 * the prod CPU target, the capacity model's definition); for each target the minimum replicas become what that
 * traffic needs at the target, so a lower target buys headroom with more pods at baseline. A second table varies
 * the pod's CPU request ({@link #podSizes}). Writes {@code docs/scaling/hpa-sweep.md}.
 *
 * <pre>./mvnw -pl load-tests compile exec:java@hpa-sweep -Dfast.start.cpu.seconds=14.3</pre>
 */
public final class HpaSweep {

	static final int[] TARGETS = {30, 35, 40, 50, 60, 70};

	/** One pod per availability zone (R3): never fewer, whatever the traffic. */
	static final int HA_FLOOR = 3;

	/** The previous sweep's node assumptions, kept for the unit tests' hand-computed examples. */
	private static final double NODE_PROVISIONING_SECONDS = 120;
	private static final int PODS_PER_NODE = 3;
	static final double NODE_CORES_FOR_APP_PODS = 1.6;

	/** Pod sizes compared at the targets of {@link #POD_SIZE_TARGETS}. */
	static final double[] POD_CPU_REQUESTS = {0.5, 0.75, 1.5};
	static final int[] POD_SIZE_TARGETS = {35, 50};

	private HpaSweep() {
	}

	/** One cell of the table. */
	record Row(int target, int minReplicas, String start, String scenario, SloVerdict verdict, double baselineRps) {
	}

	/**
	 * One line of the pod-size table.
	 *
	 * @param maxReplicas what the node group holds at its maximum; below 4x {@code minReplicas}, R1 is not met
	 */
	record PodSizeRow(double cpuRequestCores, int podsPerNode, int target, int minReplicas, int maxReplicas,
			String scenario, SloVerdict verdict) {

		int baselineNodes() {
			return nodesFor(minReplicas);
		}

		int peakNodes() {
			return nodesFor(verdict.peakReplicas());
		}

		boolean fourTimesHeadroom() {
			return maxReplicas >= 4 * minReplicas;
		}

		private int nodesFor(int replicas) {
			return (int) Math.ceil(replicas / (double) podsPerNode);
		}
	}

	/**
	 * Inputs: the prod chart, {@code measurements.json} (with the deployed fast start's {@code fastStartCpuSeconds}
	 * unless passed as the second argument), the typical traffic of {@link BurstCost#typicalRps}, the nodes of
	 * {@link NodeCapacity} and {@link NodeProvisioning#EXPECTED}.
	 */
	public static void main(String[] args) throws Exception {
		Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
		DeploymentSpec prod = ChartRenderer.render(root.resolve("helm-charts/charts/notejam"),
				root.resolve("environments/prod/notejam.values.yaml"));
		Measurements measured = Measurements.read(root.resolve("docs/scaling/measurements.json"));
		double fastStartCpuSeconds = args.length > 1 && !args[1].isBlank() && Double.parseDouble(args[1]) > 0
				? Double.parseDouble(args[1])
				: new com.fasterxml.jackson.databind.ObjectMapper().readTree(root.resolve("docs/scaling/measurements.json").toFile())
						.path("fastStartCpuSeconds").asDouble(0);
		NodeCapacity nodes = NodeCapacity.read(root, "prod");
		double typicalRps = BurstCost.typicalRps(root);
		double provisioning = NodeProvisioning.EXPECTED.seconds();
		List<Row> rows = sweep(prod, measured, fastStartCpuSeconds, typicalRps, nodes.podsPerNode(prod.cpuRequestCores()),
				provisioning);
		List<PodSizeRow> podSizes = podSizes(prod, measured, nodes, typicalRps, provisioning);
		Path out = root.resolve("docs/scaling/hpa-sweep.md");
		Files.writeString(out, markdown(prod, measured, fastStartCpuSeconds, rows, nodes, provisioning)
				+ podSizeMarkdown(prod, nodes, podSizes));
		System.out.println("[hpa-sweep] wrote " + root.relativize(out));
	}

	static List<Row> sweep(DeploymentSpec prod, Measurements measured, double fastStartCpuSeconds) {
		return sweep(prod, measured, fastStartCpuSeconds, CapacityModelApp.typicalRps(prod, measured), PODS_PER_NODE,
				NODE_PROVISIONING_SECONDS);
	}

	static List<Row> sweep(DeploymentSpec prod, Measurements measured, double fastStartCpuSeconds, double baselineRps,
			int podsPerNode, double nodeProvisioningSeconds) {
		TrafficShape shape = LoadProfile.BURST4X.shape().withTail(600);
		int[] burst = shape.window("burst");
		List<Row> rows = new ArrayList<>();
		for (int target : TARGETS) {
			int minReplicas = Math.max(HA_FLOOR, replicasAtTarget(prod, measured, baselineRps, target));
			// the chart's contract: room for 4x the typical replicas
			HpaSpec hpa = new HpaSpec(minReplicas, Math.max(prod.hpa().maxReplicas(), 4 * minReplicas), target,
					prod.hpa().scaleUp(), prod.hpa().scaleDown());
			DeploymentSpec deployment = new DeploymentSpec(prod.cpuRequestCores(), prod.cpuLimitCores(),
					minReplicas, hpa, prod.probeDelaySeconds(), prod.source());
			List<Measurements> starts = new ArrayList<>(List.of(measured));
			if (fastStartCpuSeconds > 0) {
				starts.add(measured.withStartCpuSeconds(fastStartCpuSeconds));
			}
			for (Measurements m : starts) {
				String start = String.format(Locale.ROOT, "%.1f CPU-s", m.startCpuSeconds());
				for (String scenario : List.of("warm-nodes", "new-nodes")) {
					ModelAssumptions assumptions = scenario.equals("warm-nodes")
							? CapacityModelApp.warmNodesScenario(podsPerNode)
							: CapacityModelApp.newNodesScenario(nodeProvisioningSeconds, podsPerNode);
					List<ClusterSimulation.Second> seconds = ClusterSimulation.run(new ClusterSimulation.Inputs(
							deployment, m, shape, baselineRps, assumptions,
							new HpaController(hpa, ControllerSettings.kubernetesDefaults())));
					rows.add(new Row(target, minReplicas, start, scenario, SloVerdict.judge(seconds, burst[0], burst[1]),
							baselineRps));
				}
			}
		}
		return rows;
	}

	/**
	 * Fewer, larger pods or more, smaller ones? Each pod idles at a fixed CPU cost (the measured idle cores), which a
	 * larger request amortises; a larger pod also starts on the cores it requests, but fewer of them fit on a node,
	 * so the node group's maximum caps the replicas. Same typical traffic and burst as {@link #sweep}, default start.
	 */
	static List<PodSizeRow> podSizes(DeploymentSpec prod, Measurements measured, int maxNodes) {
		return podSizes(prod, measured, request -> (int) Math.floor(NODE_CORES_FOR_APP_PODS / request + 1e-9),
				request -> maxNodes * (int) Math.floor(NODE_CORES_FOR_APP_PODS / request + 1e-9),
				CapacityModelApp.typicalRps(prod, measured), NODE_PROVISIONING_SECONDS);
	}

	/** The same with the nodes counted by {@link NodeCapacity} (DaemonSets and system pods subtracted). */
	static List<PodSizeRow> podSizes(DeploymentSpec prod, Measurements measured, NodeCapacity nodes, double baselineRps,
			double nodeProvisioningSeconds) {
		return podSizes(prod, measured, nodes::podsPerNode, request -> nodes.appSlots(nodes.maxNodes(), request), baselineRps,
				nodeProvisioningSeconds);
	}

	private static List<PodSizeRow> podSizes(DeploymentSpec prod, Measurements measured,
			java.util.function.DoubleToIntFunction podsPerNodeOf, java.util.function.DoubleToIntFunction nodeGroupPodsOf,
			double baselineRps, double nodeProvisioningSeconds) {
		TrafficShape shape = LoadProfile.BURST4X.shape().withTail(600);
		int[] burst = shape.window("burst");
		List<PodSizeRow> rows = new ArrayList<>();
		for (double request : POD_CPU_REQUESTS) {
			int podsPerNode = podsPerNodeOf.applyAsInt(request);
			if (podsPerNode < 1) {
				continue;
			}
			int nodeCapacity = nodeGroupPodsOf.applyAsInt(request);
			for (int target : POD_SIZE_TARGETS) {
				DeploymentSpec sized = new DeploymentSpec(request, prod.cpuLimitCores(), prod.typicalReplicas(), prod.hpa(),
						prod.probeDelaySeconds(), prod.source());
				int minReplicas = Math.max(HA_FLOOR, replicasAtTarget(sized, measured, baselineRps, target));
				int maxReplicas = Math.min(nodeCapacity, Math.max(prod.hpa().maxReplicas(), 4 * minReplicas));
				HpaSpec hpa = new HpaSpec(minReplicas, Math.max(minReplicas, maxReplicas), target, prod.hpa().scaleUp(),
						prod.hpa().scaleDown());
				DeploymentSpec deployment = new DeploymentSpec(request, prod.cpuLimitCores(), minReplicas, hpa,
						prod.probeDelaySeconds(), prod.source());
				for (String scenario : List.of("warm-nodes", "new-nodes")) {
					ModelAssumptions assumptions = (scenario.equals("warm-nodes")
							? CapacityModelApp.warmNodesScenario(podsPerNode)
							: CapacityModelApp.newNodesScenario(nodeProvisioningSeconds, podsPerNode))
							.withStartupCoresAtLeast(request);
					List<ClusterSimulation.Second> seconds = ClusterSimulation.run(new ClusterSimulation.Inputs(
							deployment, measured, shape, baselineRps, assumptions,
							new HpaController(hpa, ControllerSettings.kubernetesDefaults())));
					rows.add(new PodSizeRow(request, podsPerNode, target, minReplicas, hpa.maxReplicas(), scenario,
							SloVerdict.judge(seconds, burst[0], burst[1])));
				}
			}
		}
		return rows;
	}

	/** Nodes of the prod node group at its maximum: zones x {@code node_scaling.max} of the Terraform variables. */
	static int maxNodes(String platformTfvars) {
		Matcher zones = Pattern.compile("(?m)^azs\\s*=\\s*\\[([^\\]]*)]").matcher(platformTfvars);
		Matcher max = Pattern.compile("(?m)^node_scaling\\s*=\\s*\\{[^}]*\\bmax\\s*=\\s*(\\d+)").matcher(platformTfvars);
		if (!zones.find() || !max.find()) {
			throw new IllegalArgumentException("platform.tfvars has no azs list or node_scaling.max");
		}
		long zoneCount = Pattern.compile("\"[^\"]+\"").matcher(zones.group(1)).results().count();
		return (int) zoneCount * Integer.parseInt(max.group(1));
	}

	static String podSizeMarkdown(DeploymentSpec prod, int maxNodes, List<PodSizeRow> rows) {
		return podSizeMarkdown(prod, String.format(Locale.ROOT, "A prod node gives %.1f cores to app pods (m6i/m6a.large after the "
				+ "system reservation), and the node group holds at most %d nodes (`environments/prod/platform.tfvars`).",
				NODE_CORES_FOR_APP_PODS, maxNodes), rows);
	}

	static String podSizeMarkdown(DeploymentSpec prod, NodeCapacity nodes, List<PodSizeRow> rows) {
		return podSizeMarkdown(prod, String.format(Locale.ROOT, "A prod node (%s) gives %dm to pods after the kubelet's reservation "
				+ "and %d DaemonSets (%dm), and the node groups hold at most %d nodes, which also carry the add-on layer's "
				+ "system pods and the backup job (%dm; `NodeCapacity`, the sources of infra-terraform's CapacityTest).",
				nodes.instanceType(), nodes.freeMilliPerNode(), nodes.daemonSets(), nodes.daemonSetMilli(), nodes.maxNodes(),
				nodes.systemPodMilli()), rows);
	}

	private static String podSizeMarkdown(DeploymentSpec prod, String nodesNote, List<PodSizeRow> rows) {
		StringBuilder md = new StringBuilder("\n## Pod size: fewer, larger pods or more, smaller ones\n\n")
				.append(String.format(Locale.ROOT, "Same typical traffic and burst, default start. %s A larger pod amortises the idle "
						+ "CPU every pod burns and starts on the cores it requests (the start-up time divides by them), but fewer fit "
						+ "on a node, so the node group caps its replicas. The chart's current size is %.2f cores.\n\n",
						nodesNote, prod.cpuRequestCores()))
				.append("Read with care: the model gives a pod CPU in proportion to its request and takes the per-request CPU "
						+ "measured on instances of this 2-vCPU machine. That one JVM serves as much on 1.5 cores as three do on "
						+ "0.5 each (Tomcat threads, 10 database connections per pod, garbage collection) is assumed, not "
						+ "measured, and one pod per node means a node failure takes a third of the typical capacity. The "
						+ "chart keeps its measured size until a harness run pins one instance to 1 and 2 cores.\n\n")
				.append("| CPU request | pods per node | CPU target | min replicas | nodes at baseline | max replicas (node group) | 4x headroom | scenario | peak replicas | peak nodes | burst p95 | errors | SLO |\n")
				.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (PodSizeRow r : rows) {
			SloVerdict v = r.verdict();
			md.append(String.format(Locale.ROOT, "| %.2f | %d | %d %% | %d | %d | %d | %s | %s | %d | %d | %.0f ms | %.3f %% | %s |\n",
					r.cpuRequestCores(), r.podsPerNode(), r.target(), r.minReplicas(), r.baselineNodes(), r.maxReplicas(),
					r.fourTimesHeadroom() ? "yes" : "**no**", r.scenario(), v.peakReplicas(), r.peakNodes(), v.burstP95Ms(),
					v.errorPercent(), v.met() ? "**met**" : "missed"));
		}
		return md.toString();
	}

	/** Pods that serve {@code rps} at {@code targetPercent} of their CPU request (what the HPA settles on). */
	static int replicasAtTarget(DeploymentSpec prod, Measurements measured, double rps, int targetPercent) {
		double perPodCores = targetPercent / 100.0 * prod.cpuRequestCores() - measured.idleCpuCores();
		if (perPodCores <= 0) {
			return Integer.MAX_VALUE / 2;
		}
		return (int) Math.ceil(rps * measured.cpuSecondsPerRequest() / perPodCores - 1e-9);
	}

	static String markdown(DeploymentSpec prod, Measurements measured, double fastStartCpuSeconds, List<Row> rows) {
		return markdown(prod, measured, fastStartCpuSeconds, rows, String.format(Locale.ROOT,
				"what the prod values are sized for: %d pods at %d %%", prod.hpa().minReplicas(), prod.hpa().targetCpuUtilizationPercent()),
				"new-nodes: 120 s per node, 3 pods per node.");
	}

	static String markdown(DeploymentSpec prod, Measurements measured, double fastStartCpuSeconds, List<Row> rows,
			NodeCapacity nodes, double provisioningSeconds) {
		return markdown(prod, measured, fastStartCpuSeconds, rows,
				"held fixed since the previous calibration, `BurstCost.typicalRps`",
				String.format(Locale.ROOT, "new-nodes: %.0f s per node (`NodeProvisioning.EXPECTED`, Cluster Autoscaler), %d pods "
						+ "per %s node after DaemonSets (`NodeCapacity`).", provisioningSeconds,
						nodes.podsPerNode(prod.cpuRequestCores()), nodes.instanceType()));
	}

	private static String markdown(DeploymentSpec prod, Measurements measured, double fastStartCpuSeconds, List<Row> rows,
			String sizedFor, String nodesNote) {
		StringBuilder md = new StringBuilder("# HPA CPU target sweep: which target absorbs the 4x burst\n\n")
				.append("Generated by `./mvnw -pl load-tests compile exec:java@hpa-sweep` from [measurements.json](measurements.json) ")
				.append("(CPU per request, default start and the deployed fast start's CPU-seconds), the prod chart values and the ")
				.append("prod nodes. Do not edit by hand. The cost of each choice, before and after the recalibration: ")
				.append("[burst-cost.md](burst-cost.md).\n\n")
				.append(String.format(Locale.ROOT, "Fixed: typical traffic %.1f req/s (%s), "
						+ "at most 4x the minimum replicas, %.3f cores CPU request, the prod `behavior`, ",
						rows.isEmpty() ? 0 : rows.get(0).baselineRps(), sizedFor, prod.cpuRequestCores()))
				.append(String.format(Locale.ROOT, "%.1f ms CPU per request, baseline p95 %.0f ms. ",
						measured.cpuSecondsPerRequest() * 1000, measured.baselineP95Ms()))
				.append("Per target, the minimum replicas are what the typical traffic needs at that target; the burst is 4x ")
				.append("the typical traffic within one minute (same shape as [capacity-model.md](capacity-model.md)). ")
				.append(String.format(Locale.ROOT, "Start-up: %.1f CPU-s is the default start measured by the harness", measured.startCpuSeconds()))
				.append(fastStartCpuSeconds > 0 ? String.format(Locale.ROOT, ", %.1f CPU-s the fast-start mode.", fastStartCpuSeconds) : ".")
				.append(" Scenarios: warm-nodes: room for every new pod; ").append(nodesNote).append("\n\n")
				.append("| CPU target | min replicas | start-up | scenario | peak replicas | burst p95 | worst 1-s p95 | s over 300 ms | errors | SLO |\n")
				.append("|---|---|---|---|---|---|---|---|---|---|\n");
		for (Row r : rows) {
			SloVerdict v = r.verdict();
			md.append(String.format(Locale.ROOT, "| %d %% | %d | %s | %s | %d | %.0f ms | %.0f ms | %d | %.3f %% | %s |\n",
					r.target(), r.minReplicas(), r.start(), r.scenario(), v.peakReplicas(), v.burstP95Ms(),
					v.worstSecondP95Ms(), v.secondsOverSlo(), v.errorPercent(), v.met() ? "**met**" : "missed"));
		}
		return md.toString();
	}
}
