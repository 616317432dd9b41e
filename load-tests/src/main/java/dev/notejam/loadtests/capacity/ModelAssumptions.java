package dev.notejam.loadtests.capacity;

/**
 * The inputs of the capacity model that are not measured here and not in the chart. Each is a named, documented
 * assumption that the Markdown summary prints next to the result.
 *
 * @param metricsWindowSeconds        metrics-server sample window (its default resolution is 15 s)
 * @param metricsDelaySeconds         age of the newest sample the HPA sees at a sync (scrape interval)
 * @param podStartOverheadSeconds     scheduling, image already on the node, container creation
 * @param nodeProvisioningSeconds     time for a new node to join when pods do not fit; 0 = room on existing nodes
 * @param podsPerNode                 app pods that fit on one node (by CPU request)
 * @param spareNodes                  nodes with room beyond what the typical replicas use
 * @param cpuBorrowFactor             CPU a pod can use as a multiple of its request when it has no limit
 *                                    (1.0 = no borrowing from idle node CPU: the conservative case)
 * @param maxQueueingUtilization      utilisation at which the latency formula is capped; beyond it a backlog builds
 * @param requestTimeoutSeconds       a request waiting longer counts as an error (ingress/proxy timeout)
 * @param startupCores                cores a starting JVM gets (no CPU limit, idle node CPU): start-up time is the
 *                                    measured start CPU-seconds divided by this
 * @param baselinePodSlots            app pods the nodes running at baseline hold, when counted (DaemonSets and
 *                                    system pods subtracted, {@link NodeCapacity}); 0 = whole nodes of podsPerNode
 */
public record ModelAssumptions(int metricsWindowSeconds, int metricsDelaySeconds, double podStartOverheadSeconds,
		double nodeProvisioningSeconds, int podsPerNode, int spareNodes, double cpuBorrowFactor,
		double maxQueueingUtilization, double requestTimeoutSeconds, double startupCores, int baselinePodSlots) {

	public ModelAssumptions {
		if (podsPerNode < 1) {
			throw new IllegalArgumentException("podsPerNode must be >= 1");
		}
		if (cpuBorrowFactor < 1.0) {
			throw new IllegalArgumentException("cpuBorrowFactor must be >= 1.0");
		}
		if (maxQueueingUtilization <= 0 || maxQueueingUtilization >= 1) {
			throw new IllegalArgumentException("maxQueueingUtilization must be in (0, 1)");
		}
	}

	/** Room on the existing nodes, no CPU borrowing, metrics-server defaults. */
	public static ModelAssumptions warmNodes() {
		return new ModelAssumptions(15, 15, 5, 0, 3, 100, 1.0, 0.95, 30, 1.0, 0);
	}

	public ModelAssumptions withNodeProvisioning(double seconds, int podsPerNode, int spareNodes) {
		return new ModelAssumptions(metricsWindowSeconds, metricsDelaySeconds, podStartOverheadSeconds, seconds,
				podsPerNode, spareNodes, cpuBorrowFactor, maxQueueingUtilization, requestTimeoutSeconds, startupCores, baselinePodSlots);
	}

	/** Seconds from container start to the app being ready. */
	public double appStartSeconds(Measurements measured) {
		return measured.startCpuSeconds() > 0 ? measured.startCpuSeconds() / startupCores : measured.startToReadySeconds();
	}

	/** A pod that requests more than the default start-up cores starts on what it requests. */
	public ModelAssumptions withStartupCoresAtLeast(double requestedCores) {
		return new ModelAssumptions(metricsWindowSeconds, metricsDelaySeconds, podStartOverheadSeconds,
				nodeProvisioningSeconds, podsPerNode, spareNodes, cpuBorrowFactor, maxQueueingUtilization,
				requestTimeoutSeconds, Math.max(startupCores, requestedCores), baselinePodSlots);
	}

	/** Nodes at baseline that hold exactly {@code slots} app pods (the rest waits for new nodes). */
	public ModelAssumptions withBaselinePodSlots(int slots) {
		return new ModelAssumptions(metricsWindowSeconds, metricsDelaySeconds, podStartOverheadSeconds,
				nodeProvisioningSeconds, podsPerNode, 0, cpuBorrowFactor, maxQueueingUtilization, requestTimeoutSeconds,
				startupCores, slots);
	}

	public ModelAssumptions withCpuBorrowFactor(double factor) {
		return new ModelAssumptions(metricsWindowSeconds, metricsDelaySeconds, podStartOverheadSeconds,
				nodeProvisioningSeconds, podsPerNode, spareNodes, factor, maxQueueingUtilization, requestTimeoutSeconds, startupCores, baselinePodSlots);
	}
}
