package dev.notejam.loadtests.capacity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.notejam.loadtests.hpa.HpaController;
import dev.notejam.loadtests.hpa.PodSample;
import dev.notejam.loadtests.hpa.ReadinessRule;
import dev.notejam.loadtests.traffic.TrafficShape;

/**
 * Second-by-second simulation of the app Deployment under a traffic shape: requests spread evenly over ready pods,
 * each request costs the measured CPU, the HPA controller syncs every sync period on metrics-server style samples,
 * new pods become ready after scheduling (and, if they do not fit, node provisioning), start-up and probe delays.
 */
public final class ClusterSimulation {

	/** Inputs of one run. */
	public record Inputs(DeploymentSpec deployment, Measurements measurements, TrafficShape shape, double baselineRps,
			ModelAssumptions assumptions, HpaController controller) {
	}

	/** The state of one second. */
	public record Second(int t, double offeredRps, int desiredReplicas, int readyReplicas, int pendingPods,
			double utilizationPercentOfRequest, double hpaObservedUtilizationPercent, double p95Ms,
			double backlogDelaySeconds, double timedOutRequests) {
	}

	private static final class Pod {
		final String name;
		final double createdAt;
		double startedAt = Double.NaN;
		double readyAt = Double.NaN;
		final List<Double> usageCores = new ArrayList<>();
		final int firstSecond;

		Pod(String name, double createdAt, int firstSecond) {
			this.name = name;
			this.createdAt = createdAt;
			this.firstSecond = firstSecond;
		}

		boolean started() {
			return !Double.isNaN(startedAt);
		}

		boolean readyAt(double t) {
			return !Double.isNaN(readyAt) && readyAt <= t;
		}
	}

	private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

	private ClusterSimulation() {
	}

	public static List<Second> run(Inputs inputs) {
		DeploymentSpec deployment = inputs.deployment();
		ModelAssumptions assumptions = inputs.assumptions();
		Measurements measured = inputs.measurements();
		HpaController hpa = inputs.controller();
		ReadinessRule readinessRule = new ReadinessRule(hpa.settings());
		double capacityCores = deployment.cpuLimitCores().isPresent()
				? deployment.cpuLimitCores().getAsDouble()
				: deployment.cpuRequestCores() * assumptions.cpuBorrowFactor();
		LatencyModel latency = new LatencyModel(measured.baselineP95Ms(), measured.baselineUtilization(),
				assumptions.maxQueueingUtilization());
		double startToReady = assumptions.appStartSeconds(measured) + deployment.probeDelaySeconds()
				+ assumptions.podStartOverheadSeconds();
		int syncSeconds = (int) hpa.settings().syncPeriod().toSeconds();

		List<Pod> pods = new ArrayList<>();
		int initial = Math.max(deployment.typicalReplicas(), deployment.hpa().minReplicas());
		for (int i = 0; i < initial; i++) {
			Pod pod = new Pod("pod-" + i, -3600, 0);
			pod.startedAt = -3600;
			pod.readyAt = -3600;
			pods.add(pod);
		}
		int nodes = (int) Math.ceil(initial / (double) assumptions.podsPerNode()) + assumptions.spareNodes();
		// counted room at baseline (system pods take part of the nodes): new nodes add whole podsPerNode
		int slotAdjustment = assumptions.baselinePodSlots() > 0
				? Math.max(assumptions.baselinePodSlots(), initial) - nodes * assumptions.podsPerNode() : 0;
		List<Double> nodesArriving = new ArrayList<>();
		int podSequence = initial;
		int desired = initial;
		double backlogCoreSeconds = 0;
		double lastObserved = Double.NaN;
		List<Second> seconds = new ArrayList<>();

		for (int t = 0; t < inputs.shape().durationSeconds(); t++) {
			// nodes that finished provisioning
			final double now = t;
			int joined = (int) nodesArriving.stream().filter(at -> at <= now).count();
			nodes += joined;
			nodesArriving.removeIf(at -> at <= now);
			// schedule pending pods where they fit
			long running = pods.stream().filter(Pod::started).count();
			for (Pod pod : pods) {
				if (!pod.started() && running < (long) nodes * assumptions.podsPerNode() + slotAdjustment) {
					pod.startedAt = t;
					pod.readyAt = t + startToReady;
					running++;
				}
			}
			long pending = pods.stream().filter(p -> !p.started()).count();
			long podsOnTheirWay = (long) nodesArriving.size() * assumptions.podsPerNode();
			if (pending > podsOnTheirWay) {
				int extraNodes = (int) Math.ceil((pending - podsOnTheirWay) / (double) assumptions.podsPerNode());
				for (int i = 0; i < extraNodes; i++) {
					nodesArriving.add(t + assumptions.nodeProvisioningSeconds());
				}
			}

			// traffic over the ready pods
			double offeredRps = inputs.baselineRps() * inputs.shape().multipleAt(t);
			List<Pod> ready = pods.stream().filter(p -> p.readyAt(now)).toList();
			double demandCores = offeredRps * measured.cpuSecondsPerRequest();
			double perPodCores = ready.isEmpty() ? 0 : demandCores / ready.size() + measured.idleCpuCores();
			for (Pod pod : pods) {
				pod.usageCores.add(pod.readyAt(now) ? perPodCores : (pod.started() ? capacityCores : 0));
			}
			double totalCapacity = ready.size() * capacityCores;
			double timedOut = 0;
			if (totalCapacity <= 0) {
				timedOut = offeredRps;
			}
			else {
				backlogCoreSeconds = Math.max(0, backlogCoreSeconds + demandCores - totalCapacity);
				double maxBacklog = assumptions.requestTimeoutSeconds() * totalCapacity;
				if (backlogCoreSeconds > maxBacklog) {
					// work beyond the timeout is dropped: those requests fail
					timedOut = (backlogCoreSeconds - maxBacklog) / measured.cpuSecondsPerRequest();
					backlogCoreSeconds = maxBacklog;
				}
			}
			double backlogDelay = totalCapacity > 0 ? backlogCoreSeconds / totalCapacity : assumptions.requestTimeoutSeconds();
			double utilizationOfCapacity = ready.isEmpty() ? Double.POSITIVE_INFINITY : perPodCores / capacityCores;
			double p95 = latency.p95Ms(utilizationOfCapacity, backlogDelay);

			// the HPA control loop
			boolean metricsAvailable = t - assumptions.metricsDelaySeconds() - assumptions.metricsWindowSeconds() >= 0;
			if (t % syncSeconds == 0 && metricsAvailable) {
				Instant syncTime = EPOCH.plusSeconds(t);
				List<PodSample> samples = new ArrayList<>();
				int windowEnd = t - assumptions.metricsDelaySeconds();
				int windowStart = windowEnd - assumptions.metricsWindowSeconds();
				for (Pod pod : pods) {
					samples.add(sample(pod, now, windowStart, windowEnd, deployment.cpuRequestCores(), readinessRule,
							Duration.ofSeconds(assumptions.metricsWindowSeconds())));
				}
				HpaController.Decision decision = hpa.reconcile(syncTime, desired, samples);
				lastObserved = decision.averageUtilizationPercentOrNaN();
				int target = decision.desiredReplicas();
				while (pods.size() < target) {
					// usage is recorded from the next second on
					pods.add(new Pod("pod-" + podSequence++, t, t + 1));
				}
				while (pods.size() > target) {
					// the ReplicaSet removes pods that are not ready first, then the newest
					Pod victim = pods.stream().filter(p -> !p.readyAt(now)).reduce((a, b) -> b)
							.orElse(pods.get(pods.size() - 1));
					pods.remove(victim);
				}
				desired = target;
			}
			seconds.add(new Second(t, offeredRps, desired, ready.size(), (int) pending,
					ready.isEmpty() ? 0 : 100.0 * perPodCores / deployment.cpuRequestCores(), lastObserved, p95,
					backlogDelay, timedOut));
		}
		return seconds;
	}

	/** What metrics-server and the pod's Ready condition tell the HPA about one pod. */
	private static PodSample sample(Pod pod, double now, int windowStart, int windowEnd, double requestCores,
			ReadinessRule rule, Duration window) {
		if (!pod.started()) {
			return PodSample.unready(pod.name);
		}
		boolean ready = pod.readyAt(now);
		Instant started = EPOCH.plusMillis((long) (pod.startedAt * 1000));
		Instant readyTransition = ready ? EPOCH.plusMillis((long) (pod.readyAt * 1000)) : started;
		Instant metricTimestamp = EPOCH.plusSeconds(windowEnd);
		if (!rule.countsAsReady(EPOCH.plusMillis((long) (now * 1000)), started, ready, readyTransition, metricTimestamp, window)) {
			return PodSample.unready(pod.name);
		}
		double sum = 0;
		int count = 0;
		for (int s = Math.max(windowStart, pod.firstSecond); s < windowEnd; s++) {
			int index = s - pod.firstSecond;
			if (index >= 0 && index < pod.usageCores.size()) {
				sum += pod.usageCores.get(index);
				count++;
			}
		}
		if (count == 0) {
			return PodSample.missingMetrics(pod.name);
		}
		return PodSample.ready(pod.name, 100.0 * (sum / count) / requestCores);
	}
}
