package dev.notejam.loadtests.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import dev.notejam.loadtests.hpa.ControllerSettings;
import dev.notejam.loadtests.hpa.HpaController;
import dev.notejam.loadtests.traffic.LoadProfile;
import dev.notejam.loadtests.traffic.TrafficShape;

/**
 * The 4x burst proof for Kubernetes: renders the prod chart values, reads the measured figures, simulates the HPA
 * through the burst4x shape and writes {@code capacity-model.md} plus one PNG per scenario to {@code docs/scaling/}.
 *
 * <pre>./mvnw -pl load-tests compile exec:java@capacity-model [-Dexec.args="--repo-root=. --node-provisioning-seconds=140"]</pre>
 * Defaults: the deployed fast start of measurements.json, the typical traffic of {@link BurstCost#typicalRps}, the prod
 * nodes of {@link NodeCapacity} and {@link NodeProvisioning#EXPECTED}.
 */
public final class CapacityModelApp {

	/** One simulated scenario and its outcome. */
	public record Scenario(String id, String title, ModelAssumptions assumptions, List<ClusterSimulation.Second> seconds,
			SloVerdict verdict, Path chart, double largestLowLoadP95MeetingSlo) {
	}

	/** Everything the Markdown summary prints. */
	public record Result(DeploymentSpec deployment, Measurements measurements, TrafficShape shape, double baselineRps,
			boolean baselineDerived, int[] burstWindow, List<Scenario> scenarios) {
	}

	private CapacityModelApp() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Map<String, String> options = parse(args);
		Path root = Path.of(options.getOrDefault("repo-root", ".")).toAbsolutePath().normalize();
		Path chart = root.resolve(options.getOrDefault("chart", "helm-charts/charts/notejam"));
		Path values = root.resolve(options.getOrDefault("values", "environments/prod/notejam.values.yaml"));
		Path measurementsFile = root.resolve(options.getOrDefault("measurements", "docs/scaling/measurements.json"));
		Path out = root.resolve(options.getOrDefault("out", "docs/scaling"));

		log("rendering " + root.relativize(chart) + " with " + root.relativize(values) + " through helm-java");
		DeploymentSpec deployment = ChartRenderer.render(chart, values);
		deployment = new DeploymentSpec(deployment.cpuRequestCores(), deployment.cpuLimitCores(), deployment.typicalReplicas(),
				deployment.hpa(), deployment.probeDelaySeconds(),
				"helm template " + root.relativize(chart) + " -f " + root.relativize(values));
		log("reading measured figures from " + root.relativize(measurementsFile));
		Measurements measurements = Measurements.read(measurementsFile);
		// prod runs the fast-start image: its measured start, when recorded, is what a new pod costs
		double fastStart = new com.fasterxml.jackson.databind.ObjectMapper().readTree(measurementsFile.toFile())
				.path("fastStartCpuSeconds").asDouble(0);
		if (fastStart > 0) {
			measurements = measurements.withStartCpuSeconds(fastStart);
		}
		OptionalDouble baselineRps = options.containsKey("baseline-rps")
				? OptionalDouble.of(Double.parseDouble(options.get("baseline-rps")))
				: Files.exists(root.resolve(BurstCost.PREVIOUS_CALIBRATION)) ? OptionalDouble.of(BurstCost.typicalRps(root))
				: OptionalDouble.empty();
		String podsPerNode = options.containsKey("pods-per-node") ? options.get("pods-per-node")
				: String.valueOf(NodeCapacity.read(root, "prod").podsPerNode(deployment.cpuRequestCores()));

		Result result = model(deployment, measurements, baselineRps,
				Integer.parseInt(options.getOrDefault("tail-seconds", "600")),
				Double.parseDouble(options.getOrDefault("node-provisioning-seconds", String.valueOf(NodeProvisioning.EXPECTED.seconds()))),
				Integer.parseInt(podsPerNode),
				out);
		Path markdown = out.resolve("capacity-model.md");
		Files.writeString(markdown, CapacityReport.markdown(result, root));
		for (Scenario scenario : result.scenarios()) {
			SloVerdict v = scenario.verdict();
			log(String.format(Locale.ROOT, "%s: replicas %d -> %d, burst p95 %.0f ms (worst second %.0f ms), errors %.3f %% -> SLO %s",
					scenario.id(), deployment.typicalReplicas(), v.peakReplicas(), v.burstP95Ms(), v.worstSecondP95Ms(),
					v.errorPercent(), v.met() ? "MET" : "MISSED"));
		}
		log("wrote " + root.relativize(markdown));
	}

	/** Runs the scenarios and draws their charts into {@code out}. */
	public static Result model(DeploymentSpec deployment, Measurements measurements, OptionalDouble baselineRpsOverride,
			int tailSeconds, double nodeProvisioningSeconds, int podsPerNode, Path out) throws IOException {
		TrafficShape shape = LoadProfile.BURST4X.shape().withTail(tailSeconds);
		boolean derived = baselineRpsOverride.isEmpty();
		double baselineRps = derived ? typicalRps(deployment, measurements) : baselineRpsOverride.getAsDouble();
		int[] burst = shape.window("burst");

		List<Scenario> scenarios = new ArrayList<>();
		ModelAssumptions warm = warmNodesScenario(podsPerNode);
		ModelAssumptions cold = newNodesScenario(nodeProvisioningSeconds, podsPerNode);
		scenarios.add(simulate("warm-nodes", "room on existing nodes", deployment, measurements, shape, baselineRps, warm, burst, out));
		scenarios.add(simulate("new-nodes", String.format(Locale.ROOT, "new nodes needed (%.0f s to join, %d pods per node)",
				nodeProvisioningSeconds, podsPerNode), deployment, measurements, shape, baselineRps, cold, burst, out));
		return new Result(deployment, measurements, shape, baselineRps, derived, burst, scenarios);
	}

	/** Scenario "warm-nodes": the cluster has room for every new pod. */
	static ModelAssumptions warmNodesScenario(int podsPerNode) {
		return ModelAssumptions.warmNodes().withNodeProvisioning(0, podsPerNode, 100);
	}

	/** Scenario "new-nodes": every new pod beyond the typical ones waits for a node to join. */
	static ModelAssumptions newNodesScenario(double nodeProvisioningSeconds, int podsPerNode) {
		return ModelAssumptions.warmNodes().withNodeProvisioning(nodeProvisioningSeconds, podsPerNode, 0);
	}

	/**
	 * Typical traffic: what the typical replica count serves at the HPA's CPU target, so the baseline of the model
	 * is a steady state and the burst is 4x that.
	 */
	static double typicalRps(DeploymentSpec deployment, Measurements measurements) {
		double perPodCores = deployment.hpa().targetCpuUtilizationPercent() / 100.0 * deployment.cpuRequestCores()
				- measurements.idleCpuCores();
		return deployment.typicalReplicas() * Math.max(perPodCores, 0) / measurements.cpuSecondsPerRequest();
	}

	static Scenario simulate(String id, String title, DeploymentSpec deployment, Measurements measurements,
			TrafficShape shape, double baselineRps, ModelAssumptions assumptions, int[] burst, Path out) throws IOException {
		HpaController controller = new HpaController(deployment.hpa(), ControllerSettings.kubernetesDefaults());
		List<ClusterSimulation.Second> seconds = ClusterSimulation.run(
				new ClusterSimulation.Inputs(deployment, measurements, shape, baselineRps, assumptions, controller));
		SloVerdict verdict = SloVerdict.judge(seconds, burst[0], burst[1]);
		Path png = out.resolve("capacity-model-" + id + ".png");
		CapacityReport.chart(png, id, title, seconds, deployment, verdict);
		return new Scenario(id, title, assumptions, seconds, verdict, png,
				largestLowLoadP95MeetingSlo(deployment, measurements, shape, baselineRps, assumptions, burst));
	}

	/**
	 * How fast the app must be at low load for this scenario to meet the SLO: the largest measured baseline p95
	 * (same utilisation) for which the simulated burst still passes; 0 if none does (errors or backlog alone fail).
	 */
	static double largestLowLoadP95MeetingSlo(DeploymentSpec deployment, Measurements measured, TrafficShape shape,
			double baselineRps, ModelAssumptions assumptions, int[] burst) {
		double low = 0;
		double high = 300;
		for (int i = 0; i < 30; i++) {
			double candidate = (low + high) / 2;
			Measurements trial = measured.withBaselineP95Ms(candidate);
			List<ClusterSimulation.Second> seconds = ClusterSimulation.run(new ClusterSimulation.Inputs(deployment, trial, shape,
					baselineRps, assumptions, new HpaController(deployment.hpa(), ControllerSettings.kubernetesDefaults())));
			if (SloVerdict.judge(seconds, burst[0], burst[1]).met()) {
				low = candidate;
			}
			else {
				high = candidate;
			}
		}
		return low;
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("expected --name=value, got " + arg);
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

	private static void log(String message) {
		System.out.println("[capacity-model] " + message);
	}
}
