package dev.notejam.loadtests.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a prod node leaves for app pods, read from the same sources as infra-terraform's {@code CapacityTest}: the node
 * type and node group bounds of {@code environments/<env>/platform.tfvars}, and the DaemonSets and system pods of the
 * add-on layer ({@code system_pods} in {@code infra-terraform/modules/cluster-addons/helm.tf}, which the stack outputs
 * as {@code addon_layer.system_pods} and CapacityTest subtracts). Allocatable CPU follows EKS's kubelet reservation,
 * as CapacityTest computes it. A model on paper: no node was measured.
 *
 * @param instanceType      the smallest type of {@code node_instance_types} (the one that fits the fewest pods)
 * @param zones             entries of {@code azs}: one managed node group per zone
 * @param minNodesPerZone   {@code node_scaling.min}
 * @param maxNodesPerZone   {@code node_scaling.max}
 * @param allocatableMilli  node CPU after the kubelet's reservation
 * @param daemonSetMilli    CPU requests of the DaemonSets, on every node
 * @param systemPodMilli    CPU requests of the add-on layer's Deployments and StatefulSets, in the whole cluster
 * @param maxPods           pods a node takes (the VPC CNI's limit for the type)
 * @param daemonSets        DaemonSets counted (each takes a pod slot on every node)
 */
public record NodeCapacity(String instanceType, int zones, int minNodesPerZone, int maxNodesPerZone, int allocatableMilli,
		int daemonSetMilli, int systemPodMilli, int maxPods, int daemonSets) {

	/** EC2 facts of the types the stack may use: vCPUs and the VPC CNI's max pods (ENIs x (IPs - 1) + 2). */
	record InstanceType(int vcpu, int maxPods) {
	}

	static final Map<String, InstanceType> INSTANCE_TYPES = Map.of(
			"t3.large", new InstanceType(2, 35),
			"t3.xlarge", new InstanceType(4, 58),
			"m6i.large", new InstanceType(2, 29),
			"m6a.large", new InstanceType(2, 29),
			"m6i.xlarge", new InstanceType(4, 58),
			"m6a.xlarge", new InstanceType(4, 58));

	static final Path ADDON_PODS = Path.of("infra-terraform/modules/cluster-addons/helm.tf");

	/**
	 * Reads the environment's node pool, the add-on layer's pods and the backup CronJob (rendered with the
	 * environment's backup values; CapacityTest counts it among the system pods) from the repository.
	 */
	public static NodeCapacity read(Path repoRoot, String environment) throws IOException {
		NodeCapacity nodes = parse(Files.readString(repoRoot.resolve("environments").resolve(environment).resolve("platform.tfvars")),
				Files.readString(repoRoot.resolve(ADDON_PODS)));
		double backupCores = ChartRenderer.firstCronJobCpuCores(repoRoot.resolve("helm-charts/charts/notejam-backup"),
				repoRoot.resolve("environments").resolve(environment).resolve("backup.values.yaml"));
		return nodes.withSystemPodMilli(nodes.systemPodMilli() + (int) Math.round(backupCores * 1000));
	}

	NodeCapacity withSystemPodMilli(int milli) {
		return new NodeCapacity(instanceType, zones, minNodesPerZone, maxNodesPerZone, allocatableMilli, daemonSetMilli,
				milli, maxPods, daemonSets);
	}

	/** The same node groups and add-on layer on another instance type (what-if runs of the sweep). */
	public NodeCapacity withInstanceType(String type) {
		InstanceType known = INSTANCE_TYPES.get(type);
		if (known == null) {
			throw new IllegalArgumentException("instance type " + type + " is not in NodeCapacity's table");
		}
		return new NodeCapacity(type, zones, minNodesPerZone, maxNodesPerZone, known.vcpu() * 1000 - reservedCpuMilli(known.vcpu()),
				daemonSetMilli, systemPodMilli, known.maxPods(), daemonSets);
	}

	/** The same nodes with other node group bounds per zone (what-if runs of the sweep). */
	public NodeCapacity withNodesPerZone(int min, int max) {
		return new NodeCapacity(instanceType, zones, min, max, allocatableMilli, daemonSetMilli, systemPodMilli, maxPods,
				daemonSets);
	}

	static NodeCapacity parse(String platformTfvars, String addonHelmTf) {
		List<String> types = quoted(first(platformTfvars, "(?m)^node_instance_types\\s*=\\s*\\[([^\\]]*)]", "node_instance_types"));
		String smallest = null;
		for (String type : types) {
			InstanceType known = INSTANCE_TYPES.get(type);
			if (known == null) {
				throw new IllegalArgumentException("instance type " + type + " is not in NodeCapacity's table");
			}
			if (smallest == null || known.vcpu() < INSTANCE_TYPES.get(smallest).vcpu()) {
				smallest = type;
			}
		}
		if (smallest == null) {
			throw new IllegalArgumentException("node_instance_types is empty");
		}
		int zones = quoted(first(platformTfvars, "(?m)^azs\\s*=\\s*\\[([^\\]]*)]", "azs")).size();
		String scaling = first(platformTfvars, "(?m)^node_scaling\\s*=\\s*\\{([^}]*)}", "node_scaling");
		int min = Integer.parseInt(first(scaling, "\\bmin\\s*=\\s*(\\d+)", "node_scaling.min"));
		int max = Integer.parseInt(first(scaling, "\\bmax\\s*=\\s*(\\d+)", "node_scaling.max"));

		String block = first(addonHelmTf, "(?s)system_pods\\s*=\\s*\\{(.*?)\\n\\s*}\\n", "system_pods");
		Matcher pod = Pattern.compile("\"([^\"]+)\"\\s*=\\s*\\{\\s*kind\\s*=\\s*\"(\\w+)\",\\s*replicas\\s*=\\s*(\\d+),\\s*cpu_m\\s*=\\s*(\\d+)")
				.matcher(block);
		int daemonSetMilli = 0;
		int daemonSets = 0;
		int systemMilli = 0;
		while (pod.find()) {
			int cpu = Integer.parseInt(pod.group(4));
			if ("DaemonSet".equals(pod.group(2))) {
				daemonSetMilli += cpu;
				daemonSets++;
			}
			else {
				systemMilli += cpu * Integer.parseInt(pod.group(3));
			}
		}
		if (daemonSets == 0) {
			throw new IllegalArgumentException("no DaemonSet in the add-on layer's system_pods");
		}
		InstanceType type = INSTANCE_TYPES.get(smallest);
		return new NodeCapacity(smallest, zones, min, max, type.vcpu() * 1000 - reservedCpuMilli(type.vcpu()),
				daemonSetMilli, systemMilli, type.maxPods(), daemonSets);
	}

	/** EKS's kubelet CPU reservation: 6 % of the first core, 1 % of the second, 0.5 % of cores 3-4, 0.25 % above. */
	static int reservedCpuMilli(int vcpu) {
		double reserved = 60 + (vcpu >= 2 ? 10 : 0) + 5 * Math.max(0, Math.min(vcpu, 4) - 2) + 2.5 * Math.max(0, vcpu - 4);
		return (int) Math.ceil(reserved);
	}

	/** CPU a node has for pods after the DaemonSets. */
	public int freeMilliPerNode() {
		return allocatableMilli - daemonSetMilli;
	}

	/** App pods of this CPU request that fit on one node beside the DaemonSets. */
	public int podsPerNode(double cpuRequestCores) {
		int byCpu = (int) Math.floor(freeMilliPerNode() / (cpuRequestCores * 1000) + 1e-9);
		return Math.max(0, Math.min(byCpu, maxPods - daemonSets));
	}

	public int maxNodes() {
		return zones * maxNodesPerZone;
	}

	public int minNodes() {
		return zones * minNodesPerZone;
	}

	/**
	 * Nodes the Cluster Autoscaler keeps for {@code appPods} pods and the add-on layer's system pods: each node
	 * holds {@link #podsPerNode} app pods, the system pods fill what app pods leave; never fewer than the node groups'
	 * minimum.
	 */
	public int nodesFor(int appPods, double cpuRequestCores) {
		int perNode = podsPerNode(cpuRequestCores);
		if (perNode < 1) {
			throw new IllegalArgumentException("a pod of " + cpuRequestCores + " cores fits no " + instanceType + " node");
		}
		int nodes = Math.max(minNodes(), (int) Math.ceil(appPods / (double) perNode));
		while (appSlots(nodes, cpuRequestCores) < appPods) {
			nodes++;
		}
		return nodes;
	}

	/** App pods that {@code nodes} nodes hold beside the DaemonSets and all system pods (CPU as a fluid). */
	public int appSlots(int nodes, double cpuRequestCores) {
		int byPacking = nodes * podsPerNode(cpuRequestCores);
		int byCpu = (int) Math.floor((nodes * (long) freeMilliPerNode() - systemPodMilli) / (cpuRequestCores * 1000) + 1e-9);
		return Math.max(0, Math.min(byPacking, byCpu));
	}

	private static String first(String text, String regex, String what) {
		Matcher m = Pattern.compile(regex).matcher(text);
		if (!m.find()) {
			throw new IllegalArgumentException("no " + what + " found");
		}
		return m.group(1);
	}

	private static List<String> quoted(String list) {
		List<String> values = new ArrayList<>();
		Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(list);
		while (m.find()) {
			values.add(m.group(1));
		}
		return values;
	}
}
