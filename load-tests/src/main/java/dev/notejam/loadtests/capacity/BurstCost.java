package dev.notejam.loadtests.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.notejam.loadtests.hpa.ControllerSettings;
import dev.notejam.loadtests.hpa.HpaController;
import dev.notejam.loadtests.hpa.HpaSpec;
import dev.notejam.loadtests.traffic.LoadProfile;
import dev.notejam.loadtests.traffic.TrafficShape;

/**
 * The cost of R1 in requested cores: at the typical traffic, how many cores of app pods must prod request so that
 * a 4x burst within one minute keeps p95 under 300 ms? Runs the capacity model ({@link ClusterSimulation}, the
 * prod chart's HPA {@code behavior}) for every CPU target of {@link #TARGETS} and every node type of
 * {@link #INSTANCE_TYPES}, twice through the same code: with the previous calibration's inputs
 * ({@code docs/scaling/calibrations/2026-11-22.json}) and with the current ones ({@code measurements.json}, the
 * nodes of {@link NodeCapacity}, {@link NodeProvisioning#EXPECTED}). Picks prod's HPA target, minimum and node
 * type from the current run ({@link #choose}); {@code ProdSizingTest} fails when prod deploys anything else.
 * Writes {@code docs/scaling/burst-cost.md} and two PNGs.
 *
 * <pre>./mvnw -pl load-tests compile exec:java@burst-cost</pre>
 */
public final class BurstCost {

	static final int[] TARGETS = {20, 25, 30, 35, 40, 45, 50, 60};

	/** Node types compared: prod's current type and the next size of the same family. */
	static final List<String> INSTANCE_TYPES = List.of("m6i.large", "m6i.xlarge");

	static final Path PREVIOUS_CALIBRATION = Path.of("docs/scaling/calibrations/2026-11-22.json");
	static final Path MEASUREMENTS = Path.of("docs/scaling/measurements.json");

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Beyond this many pods at baseline a target is not a candidate (idle CPU alone nearly reaches it). */
	static final int MAX_REPLICAS_CONSIDERED = 100;

	private BurstCost() {
	}

	/** Where new app pods find room: on the nodes running at baseline first, then on nodes that join. */
	interface Nodes {

		String instanceType();

		int vcpu();

		int podsPerNode(double cpuRequestCores);

		/** Nodes running at the typical traffic with {@code appPods} app pods. */
		int baselineNodes(int appPods, double cpuRequestCores);

		/** App pods those nodes hold (the rest waits for new nodes). */
		int baselineAppSlots(int appPods, double cpuRequestCores);

		/** App pods the node groups hold at their maximum. */
		int maxAppPods(double cpuRequestCores);

		String describe(double cpuRequestCores);
	}

	/** The previous model: a fixed share of each node for app pods, no system pods, a 12-node group. */
	record PreviousNodes(String instanceType, double coresForAppPods, int maxNodes) implements Nodes {

		@Override
		public int vcpu() {
			return NodeCapacity.INSTANCE_TYPES.get(instanceType).vcpu();
		}

		@Override
		public int podsPerNode(double cpuRequestCores) {
			return (int) Math.floor(coresForAppPods / cpuRequestCores + 1e-9);
		}

		@Override
		public int baselineNodes(int appPods, double cpuRequestCores) {
			return (int) Math.ceil(appPods / (double) podsPerNode(cpuRequestCores));
		}

		@Override
		public int baselineAppSlots(int appPods, double cpuRequestCores) {
			return baselineNodes(appPods, cpuRequestCores) * podsPerNode(cpuRequestCores);
		}

		@Override
		public int maxAppPods(double cpuRequestCores) {
			return maxNodes * podsPerNode(cpuRequestCores);
		}

		@Override
		public String describe(double cpuRequestCores) {
			return String.format(Locale.ROOT, "%s, %.1f cores of each for app pods (%d per node), no system pods, at most %d nodes",
					instanceType, coresForAppPods, podsPerNode(cpuRequestCores), maxNodes);
		}
	}

	/** The current model: {@link NodeCapacity} read from the stack and the add-on layer. */
	record CountedNodes(NodeCapacity capacity) implements Nodes {

		@Override
		public String instanceType() {
			return capacity.instanceType();
		}

		@Override
		public int vcpu() {
			return NodeCapacity.INSTANCE_TYPES.get(capacity.instanceType()).vcpu();
		}

		@Override
		public int podsPerNode(double cpuRequestCores) {
			return capacity.podsPerNode(cpuRequestCores);
		}

		@Override
		public int baselineNodes(int appPods, double cpuRequestCores) {
			return capacity.nodesFor(appPods, cpuRequestCores);
		}

		@Override
		public int baselineAppSlots(int appPods, double cpuRequestCores) {
			return capacity.appSlots(baselineNodes(appPods, cpuRequestCores), cpuRequestCores);
		}

		@Override
		public int maxAppPods(double cpuRequestCores) {
			return capacity.appSlots(capacity.maxNodes(), cpuRequestCores);
		}

		@Override
		public String describe(double cpuRequestCores) {
			return String.format(Locale.ROOT, "%s: %dm allocatable, %d DaemonSets %dm, %dm free per node (%d app pods of %.0fm); "
					+ "system pods %dm in the cluster; %d zones x %d..%d nodes",
					capacity.instanceType(), capacity.allocatableMilli(), capacity.daemonSets(), capacity.daemonSetMilli(),
					capacity.freeMilliPerNode(), podsPerNode(cpuRequestCores), cpuRequestCores * 1000, capacity.systemPodMilli(),
					capacity.zones(), capacity.minNodesPerZone(), capacity.maxNodesPerZone());
		}
	}

	/**
	 * One side of the comparison.
	 *
	 * @param startCpuSeconds CPU a starting pod burns until ready (the deployed image's start)
	 * @param typicalRps      typical traffic, the same on both sides
	 * @param nodesByType     node model per instance type compared
	 */
	record Inputs(String label, String source, Measurements measured, double startCpuSeconds, double typicalRps,
			double cpuRequestCores, List<Nodes> nodesByType, NodeProvisioning provisioning, NodeProvisioning slowProvisioning,
			DeploymentSpec prod) {
	}

	/** Cheapest in requested cores alone, whatever the nodes cost (reported beside the choice). */
	static Optional<Candidate> fewestRequestedCores(List<Candidate> rows) {
		return rows.stream().filter(Candidate::holdsTheBurst)
				.min(Comparator.comparingDouble(Candidate::requestedCores)
						.thenComparingInt((Candidate c) -> c.baselineNodes() * c.nodeVcpu()));
	}

	/** One configuration and how the burst goes with it. */
	record Candidate(String instanceType, int target, int minReplicas, int maxReplicas, double cpuRequestCores,
			int podsPerNode, int baselineNodes, int nodeVcpu, boolean fitsNodeGroup, SloVerdict warmNodes,
			SloVerdict expected, SloVerdict slow, List<ClusterSimulation.Second> expectedSeconds, DeploymentSpec deployment) {

		/** The figure that matters: CPU requested by the app pods at the typical traffic. */
		double requestedCores() {
			return minReplicas * cpuRequestCores;
		}

		/** SLO met with the expected and with the slow node provisioning, and room for 4x in the node groups. */
		boolean holdsTheBurst() {
			return fitsNodeGroup && expected.met() && slow.met();
		}
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
		Inputs before = previousInputs(root);
		Inputs after = currentInputs(root);
		List<Candidate> beforeRows = sweep(before);
		List<Candidate> afterRows = sweep(after);
		Candidate beforeChoice = choose(beforeRows, before.nodesByType().get(0).instanceType())
				.orElseThrow(() -> new IllegalStateException("no configuration holds the burst with the previous inputs"));
		Candidate afterChoice = choose(afterRows, currentInstanceType(root))
				.orElseThrow(() -> new IllegalStateException("no configuration holds the burst with the current inputs"));
		Path out = root.resolve("docs/scaling");
		CapacityReport.chart(out.resolve("burst-cost-before.png"), "before", "previous inputs: " + describe(beforeChoice),
				beforeChoice.expectedSeconds(), beforeChoice.deployment(), beforeChoice.expected());
		CapacityReport.chart(out.resolve("burst-cost-after.png"), "after", "current inputs: " + describe(afterChoice),
				afterChoice.expectedSeconds(), afterChoice.deployment(), afterChoice.expected());
		Files.writeString(out.resolve("burst-cost.md"), markdown(before, beforeRows, beforeChoice, after, afterRows, afterChoice));
		System.out.printf(Locale.ROOT, "[burst-cost] before %.2f cores (%s), after %.2f cores (%s)%n", beforeChoice.requestedCores(),
				describe(beforeChoice), afterChoice.requestedCores(), describe(afterChoice));
	}

	static String describe(Candidate c) {
		return String.format(Locale.ROOT, "%d x %.0fm at %d %% on %s", c.minReplicas(), c.cpuRequestCores() * 1000, c.target(),
				c.instanceType());
	}

	/** Inputs of the previous calibration: its measurements, its node assumptions, its start. */
	static Inputs previousInputs(Path root) throws IOException {
		Path file = root.resolve(PREVIOUS_CALIBRATION);
		Measurements measured = Measurements.read(file);
		JsonNode model = JSON.readTree(file.toFile()).path("model");
		double request = model.path("prodCpuRequestCores").asDouble();
		DeploymentSpec prod = prodDeployment(root);
		List<Nodes> nodes = List.of(new PreviousNodes("m6i.large", model.path("nodeCoresForAppPods").asDouble(),
				model.path("maxNodes").asInt()));
		NodeProvisioning provisioning = new NodeProvisioning("previous", 0, model.path("nodeProvisioningSeconds").asDouble(), 0);
		return new Inputs("before", PREVIOUS_CALIBRATION.toString(), measured, measured.startCpuSeconds(), typicalRps(root),
				request, nodes, provisioning, provisioning, prod);
	}

	/** Current inputs: the latest calibration, the deployed fast start, the counted nodes, the autoscaler's time. */
	static Inputs currentInputs(Path root) throws IOException {
		Path file = root.resolve(MEASUREMENTS);
		Measurements measured = Measurements.read(file);
		JsonNode json = JSON.readTree(file.toFile());
		double fastStart = json.path("fastStartCpuSeconds").asDouble(0);
		if (fastStart <= 0) {
			throw new IllegalStateException(MEASUREMENTS + " has no fastStartCpuSeconds (notejam-app/benchmarks/startup.sh)");
		}
		NodeCapacity counted = NodeCapacity.read(root, "prod");
		List<Nodes> nodes = new ArrayList<>();
		for (String type : INSTANCE_TYPES) {
			nodes.add(new CountedNodes(counted.withInstanceType(type)));
		}
		DeploymentSpec prod = prodDeployment(root);
		return new Inputs("after", MEASUREMENTS.toString(), measured, fastStart, typicalRps(root), prod.cpuRequestCores(),
				nodes, NodeProvisioning.EXPECTED, NodeProvisioning.SLOW, prod);
	}

	static DeploymentSpec prodDeployment(Path root) throws IOException {
		return ChartRenderer.render(root.resolve("helm-charts/charts/notejam"), root.resolve("environments/prod/notejam.values.yaml"));
	}

	/** The smallest type prod's node groups use. */
	static String currentInstanceType(Path root) throws IOException {
		return NodeCapacity.parse(Files.readString(root.resolve("environments/prod/platform.tfvars")),
				Files.readString(root.resolve(NodeCapacity.ADDON_PODS))).instanceType();
	}

	/**
	 * Typical traffic, held fixed on both sides: what the previous prod values were sized for (their minimum
	 * replicas at their CPU target, with the previous calibration's CPU per request and idle CPU).
	 */
	static double typicalRps(Path root) throws IOException {
		Path file = root.resolve(PREVIOUS_CALIBRATION);
		Measurements measured = Measurements.read(file);
		JsonNode model = JSON.readTree(file.toFile()).path("model");
		double perPod = model.path("prodTargetCpuPercent").asDouble() / 100.0 * model.path("prodCpuRequestCores").asDouble()
				- measured.idleCpuCores();
		return model.path("prodMinReplicas").asInt() * perPod / measured.cpuSecondsPerRequest();
	}

	static List<Candidate> sweep(Inputs in) {
		TrafficShape shape = LoadProfile.BURST4X.shape().withTail(600);
		int[] burst = shape.window("burst");
		Measurements measured = in.measured().withStartCpuSeconds(in.startCpuSeconds());
		List<Candidate> rows = new ArrayList<>();
		for (Nodes nodes : in.nodesByType()) {
			for (int target : TARGETS) {
				double request = in.cpuRequestCores();
				int needed = replicasAtTarget(request, measured, in.typicalRps(), target);
				if (needed > MAX_REPLICAS_CONSIDERED) {
					// the target is below what an idle pod burns: no number of pods reaches it
					continue;
				}
				int minReplicas = Math.max(HpaSweep.HA_FLOOR, needed);
				int maxReplicas = 4 * minReplicas;
				HpaSpec hpa = new HpaSpec(minReplicas, maxReplicas, target, in.prod().hpa().scaleUp(), in.prod().hpa().scaleDown());
				DeploymentSpec deployment = new DeploymentSpec(request, in.prod().cpuLimitCores(), minReplicas, hpa,
						in.prod().probeDelaySeconds(), in.prod().source());
				int perNode = nodes.podsPerNode(request);
				int baselineNodes = nodes.baselineNodes(minReplicas, request);
				int slots = nodes.baselineAppSlots(minReplicas, request);
				SloVerdict warm = simulate(deployment, measured, shape, in.typicalRps(),
						CapacityModelApp.warmNodesScenario(perNode), burst).verdict;
				Run expected = simulate(deployment, measured, shape, in.typicalRps(),
						ModelAssumptions.warmNodes().withNodeProvisioning(in.provisioning().seconds(), perNode, 0)
								.withBaselinePodSlots(slots), burst);
				SloVerdict slow = simulate(deployment, measured, shape, in.typicalRps(),
						ModelAssumptions.warmNodes().withNodeProvisioning(in.slowProvisioning().seconds(), perNode, 0)
								.withBaselinePodSlots(slots), burst).verdict;
				rows.add(new Candidate(nodes.instanceType(), target, minReplicas, maxReplicas, request, perNode, baselineNodes,
						nodes.vcpu(), maxReplicas <= nodes.maxAppPods(request), warm, expected.verdict, slow, expected.seconds,
						deployment));
			}
		}
		return rows;
	}

	private record Run(List<ClusterSimulation.Second> seconds, SloVerdict verdict) {
	}

	private static Run simulate(DeploymentSpec deployment, Measurements measured, TrafficShape shape, double rps,
			ModelAssumptions assumptions, int[] burst) {
		List<ClusterSimulation.Second> seconds = ClusterSimulation.run(new ClusterSimulation.Inputs(deployment, measured, shape,
				rps, assumptions, new HpaController(deployment.hpa(), ControllerSettings.kubernetesDefaults())));
		return new Run(seconds, SloVerdict.judge(seconds, burst[0], burst[1]));
	}

	/** Pods that serve {@code rps} at {@code targetPercent} of their CPU request (what the HPA settles on). */
	static int replicasAtTarget(double requestCores, Measurements measured, double rps, int targetPercent) {
		double perPodCores = targetPercent / 100.0 * requestCores - measured.idleCpuCores();
		if (perPodCores <= 0) {
			return Integer.MAX_VALUE / 8;
		}
		return (int) Math.ceil(rps * measured.cpuSecondsPerRequest() / perPodCores - 1e-9);
	}

	/**
	 * The cheapest configuration that holds the burst: fewest node vCPUs at baseline (what prod pays: the app pods
	 * share the nodes with DaemonSets and system pods, so fewer requested cores can need larger nodes), then fewest
	 * requested cores, then the node type prod already runs; among equal costs the lowest burst p95 (a lower target
	 * with the same pods scales out earlier and costs nothing at baseline).
	 */
	static Optional<Candidate> choose(List<Candidate> rows, String currentInstanceType) {
		return rows.stream().filter(Candidate::holdsTheBurst)
				.min(Comparator.comparingInt((Candidate c) -> c.baselineNodes() * c.nodeVcpu())
						.thenComparingDouble(Candidate::requestedCores)
						.thenComparing((Candidate c) -> !c.instanceType().equals(currentInstanceType))
						.thenComparingDouble((Candidate c) -> c.expected().burstP95Ms()));
	}

	static String markdown(Inputs before, List<Candidate> beforeRows, Candidate beforeChoice, Inputs after,
			List<Candidate> afterRows, Candidate afterChoice) {
		StringBuilder md = new StringBuilder();
		md.append("# The cost of the 4x burst, before and after the recalibration\n\n")
				.append("Generated by `./mvnw -pl load-tests compile exec:java@burst-cost` (`BurstCost`). Do not edit by hand. ")
				.append("Both sides run through the same model code (`ClusterSimulation`, the prod chart's HPA `behavior`); ")
				.append("only the inputs differ. `ProdSizingTest` fails unless prod deploys the configuration chosen from the ")
				.append("current inputs.\n\n")
				.append(String.format(Locale.ROOT, "**Requested cores at the typical traffic (%.1f req/s of the journey mix) that keep p95 "
						+ "< 300 ms through a 4x burst within one minute: before %.2f cores (%s), after %.2f cores (%s).**%n%n",
						after.typicalRps(), beforeChoice.requestedCores(), describe(beforeChoice), afterChoice.requestedCores(),
						describe(afterChoice)));
		fewestRequestedCores(afterRows).filter(c -> c.requestedCores() < afterChoice.requestedCores()).ifPresent(c -> md.append(
				String.format(Locale.ROOT, "Fewer requested cores are possible: %.2f cores (%s) also hold the burst, but on %d nodes of %d "
						+ "vCPUs at baseline (%d vCPUs) against %d for the choice: the nodes, not the requests, are the bill.%n%n",
						c.requestedCores(), describe(c), c.baselineNodes(), c.nodeVcpu(), c.baselineNodes() * c.nodeVcpu(),
						afterChoice.baselineNodes() * afterChoice.nodeVcpu())));
		md.append("| input | before (").append(before.source()).append(") | after (").append(after.source()).append(") | how it was obtained |\n")
				.append("|---|---|---|---|\n");
		md.append(String.format(Locale.ROOT, "| CPU per request of the journey mix | %.1f ms | %.1f ms | ran for real: `run-experiment.sh calibrate` |%n",
				before.measured().cpuSecondsPerRequest() * 1000, after.measured().cpuSecondsPerRequest() * 1000));
		md.append(String.format(Locale.ROOT, "| idle CPU of a pod | %.3f cores | %.3f cores | same run |%n",
				before.measured().idleCpuCores(), after.measured().idleCpuCores()));
		md.append(String.format(Locale.ROOT, "| p95 at baseline (machine CPU busy) | %.0f ms (%.0f %%) | %.0f ms (%.0f %%) | same run |%n",
				before.measured().baselineP95Ms(), before.measured().baselineUtilization() * 100,
				after.measured().baselineP95Ms(), after.measured().baselineUtilization() * 100));
		md.append(String.format(Locale.ROOT, "| start-up of a new pod | %.1f CPU-s (default start) | %.1f CPU-s (deployed fast-start mode) | ran for real: "
				+ "before the harness's instance starts, after `notejam-app/benchmarks/startup.sh` (`jdk25-aot-cache`) |%n",
				before.startCpuSeconds(), after.startCpuSeconds()));
		md.append(String.format(Locale.ROOT, "| node room for app pods | %s | %s | before: an assumed share; after: read from `platform.tfvars`, "
				+ "`cluster-addons/helm.tf` and the backup chart (on paper, as CapacityTest) |%n",
				before.nodesByType().get(0).describe(before.cpuRequestCores()),
				after.nodesByType().get(0).describe(after.cpuRequestCores())));
		md.append(String.format(Locale.ROOT, "| node provisioning | %.0f s | %.0f s (%.0f s Cluster Autoscaler + %.0f s instance to Ready + %.0f s image "
				+ "pull); slow case %.0f s | on paper: [CA FAQ SLO](%s), [AWS ~60-90 s](%s), [EKS Workshop \"several minutes\"](%s) |%n",
				before.provisioning().seconds(), after.provisioning().seconds(), after.provisioning().autoscalerSeconds(),
				after.provisioning().instanceToReadySeconds(), after.provisioning().imagePullSeconds(),
				after.slowProvisioning().seconds(), NodeProvisioning.CA_SLO_SOURCE, NodeProvisioning.AWS_SCALE_UP_SOURCE,
				NodeProvisioning.EKS_WORKSHOP_SOURCE));
		md.append(String.format(Locale.ROOT, "| typical traffic | %.1f req/s | %.1f req/s | held fixed: what the previous prod values "
				+ "(their minimum at their target) served with the previous calibration |%n%n", before.typicalRps(), after.typicalRps()));
		md.append("A configuration holds the burst when, with the expected and with the slow node provisioning, the burst p95 is "
				+ "under 300 ms and errors under 0.1 %, and the node groups at their maximum hold 4x its minimum (the HPA maximum). "
				+ "Pods first fill the room the baseline nodes have left (after DaemonSets and system pods), then wait for new "
				+ "nodes. Cheapest = fewest node vCPUs at baseline (what prod pays), then fewest requested cores, then the node type "
				+ "prod runs; "
				+ "among equal costs the lowest burst p95. A pod's CPU is capped at its request (no borrowing from idle node "
				+ "CPU), and the latency model treats database and Redis time as if it queued on the pod's CPU: both err on "
				+ "the slow side.\n\n");
		md.append("![before](burst-cost-before.png)\n\n![after](burst-cost-after.png)\n\n");
		table(md, "Before: previous inputs", beforeRows, beforeChoice);
		table(md, "After: current inputs", afterRows, afterChoice);
		return md.toString();
	}

	private static void table(StringBuilder md, String title, List<Candidate> rows, Candidate chosen) {
		md.append("## ").append(title).append("\n\n")
				.append("| node type | CPU target | min replicas | requested cores | pods per node | nodes at baseline | room for 4x | "
						+ "node vCPUs at baseline | burst p95, room on nodes | burst p95, expected provisioning | errors | burst p95, slow provisioning | holds |\n")
				.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Candidate c : rows) {
			boolean isChosen = c == chosen;
			md.append(String.format(Locale.ROOT, "| %s | %d %% | %d | %s%.2f%s | %d | %d | %s | %d | %.0f ms | %.0f ms | %.3f %% | %.0f ms | %s |%n",
					c.instanceType(), c.target(), c.minReplicas(), isChosen ? "**" : "", c.requestedCores(), isChosen ? "**" : "",
					c.podsPerNode(), c.baselineNodes(), c.fitsNodeGroup() ? "yes" : "**no**", c.baselineNodes() * c.nodeVcpu(),
					c.warmNodes().burstP95Ms(),
					c.expected().burstP95Ms(), c.expected().errorPercent(), c.slow().burstP95Ms(),
					isChosen ? "**chosen**" : c.holdsTheBurst() ? "yes" : "no"));
		}
		md.append('\n');
	}
}
