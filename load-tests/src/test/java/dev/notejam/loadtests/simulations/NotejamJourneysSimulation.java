package dev.notejam.loadtests.simulations;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.notejam.loadtests.cluster.ClusterRecorder;
import dev.notejam.loadtests.smoke.EmbeddedNotejamProcess;
import dev.notejam.loadtests.traffic.TrafficShape;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Notejam's user journeys under one of the injection profiles ({@code -Dloadtest.profile=smoke|baseline|burst4x|soak})
 * against {@code -Dnotejam.baseUrl}. Open workload: journeys start at the profile's rate whatever the response
 * times, as real visitors do. The SLO of DESIGN.md section 9 is asserted unless {@code -Dloadtest.enforceSlo=false}
 * (the failover experiment, whose errors are counted instead).
 */
public class NotejamJourneysSimulation extends Simulation {

	private final EmbeddedNotejamProcess embeddedApp;
	private final LoadTestSettings settings;
	private final JourneyLedger ledger = new JourneyLedger();
	private final String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
	private volatile List<PoolSeeder.PoolUser> pool = List.of();
	private java.util.concurrent.FutureTask<List<ClusterRecorder.Sample>> clusterRecording;
	private KubernetesClient kubernetes;

	public NotejamJourneysSimulation() throws IOException {
		LoadTestSettings configured = LoadTestSettings.fromSystemProperties();
		if (configured.startEmbeddedApp()) {
			// smoke in ./mvnw verify: the real app on embedded PostgreSQL + Redis, stopped in after()
			embeddedApp = EmbeddedNotejamProcess.start(configured.outputDir(), Duration.ofMinutes(15));
			settings = configured.withBaseUrl(embeddedApp.baseUrl());
		}
		else {
			embeddedApp = null;
			settings = configured;
		}
		TrafficShape shape = settings.profile().shape();
		HttpProtocolBuilder protocol = http.baseUrl(settings.baseUrl().toString())
				.acceptHeader("text/html,application/xhtml+xml")
				.acceptLanguageHeader("en")
				.userAgentHeader("notejam-load-test (Gatling)");
		Journeys journeys = new Journeys(ledger, settings.thinkTimeScale());

		List<Assertion> assertions = new ArrayList<>();
		if (settings.enforceSlo()) {
			assertions.add(global().responseTime().percentile(95.0).lt(300));
			assertions.add(global().failedRequests().percent().lt(0.1));
		}
		System.out.printf("load test: profile %s (%d s), baseline %.2f journeys/s, target %s, think-time scale %.2f, SLO %s%n",
				settings.profile().name().toLowerCase(), shape.durationSeconds(), settings.baselineUsersPerSec(),
				settings.baseUrl(), settings.thinkTimeScale(), settings.enforceSlo() ? "enforced" : "reported only");

		setUp(scenario("notejam journeys").exec(journeys.mix(poolFeeder())).injectOpen(injection(shape)))
				.protocols(protocol)
				.assertions(assertions)
				// bounded: the shape plus time for the last journeys to finish
				.maxDuration(Duration.ofSeconds(shape.durationSeconds() + 120L));
	}

	private List<OpenInjectionStep> injection(TrafficShape shape) {
		double base = settings.baselineUsersPerSec();
		List<OpenInjectionStep> steps = new ArrayList<>();
		for (TrafficShape.Phase phase : shape.phases()) {
			Duration duration = Duration.ofSeconds(phase.durationSeconds());
			steps.add(phase.isConstant()
					? constantUsersPerSec(base * phase.fromMultiple()).during(duration)
					: rampUsersPerSec(base * phase.fromMultiple()).to(base * phase.toMultiple()).during(duration));
		}
		return steps;
	}

	/** Pool users in turn, for ever; the pool is filled in {@link #before()}. */
	private Iterator<Map<String, Object>> poolFeeder() {
		AtomicLong next = new AtomicLong();
		return new Iterator<>() {
			@Override
			public boolean hasNext() {
				return true;
			}

			@Override
			public Map<String, Object> next() {
				List<PoolSeeder.PoolUser> users = pool;
				PoolSeeder.PoolUser user = users.get((int) (next.getAndIncrement() % users.size()));
				return Map.of("email", user.email(), "password", user.password());
			}
		};
	}

	@Override
	public void before() {
		PoolSeeder seeder = new PoolSeeder(settings.baseUrl());
		try {
			System.out.println("load test: waiting for " + settings.baseUrl() + " (up to " + settings.appWaitTimeout().toSeconds() + " s)");
			try {
				seeder.awaitApp(settings.appWaitTimeout(), () -> embeddedApp == null || embeddedApp.isAlive());
			}
			catch (IllegalStateException notUp) {
				if (embeddedApp != null) {
					System.out.println("embedded notejam log (last lines):");
					List<String> lines = java.nio.file.Files.readAllLines(embeddedApp.log());
					lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
					embeddedApp.close();
				}
				throw notUp;
			}
			long started = System.nanoTime();
			pool = seeder.seed(runId, settings.poolSize(), 12, Integer.getInteger("loadtest.warmUpRounds", 10));
			System.out.printf("load test: %d pool users with a pad and 12 notes each ready (and the app warmed up) in %.1f s%n", pool.size(),
					(System.nanoTime() - started) / 1e9);
			startClusterRecording();
		}
		catch (IOException e) {
			throw new UncheckedIOException("could not prepare the user pool", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	/**
	 * Cluster mode ({@code -Dloadtest.cluster.namespace=notejam}, kubeconfig from the usual places): records the
	 * Deployment's replicas and the HPA's status every 5 s while the journeys run.
	 */
	private void startClusterRecording() {
		String namespace = System.getProperty("loadtest.cluster.namespace");
		if (namespace == null || namespace.isBlank()) {
			return;
		}
		String deployment = System.getProperty("loadtest.cluster.deployment", "notejam");
		String hpa = System.getProperty("loadtest.cluster.hpa", deployment);
		kubernetes = new KubernetesClientBuilder().build();
		ClusterRecorder recorder = new ClusterRecorder(kubernetes, namespace, deployment, hpa);
		Duration duration = Duration.ofSeconds(settings.profile().shape().durationSeconds() + 120L);
		clusterRecording = new java.util.concurrent.FutureTask<>(() -> recorder.record(duration, Duration.ofSeconds(5),
				sample -> System.out.printf("cluster: replicas %d ready %d, HPA desired %d at %d %% CPU%n", sample.specReplicas(),
						sample.readyReplicas(), sample.hpaDesiredReplicas(), sample.cpuUtilizationPercent())));
		Thread thread = new Thread(clusterRecording, "cluster-recorder");
		thread.setDaemon(true);
		thread.start();
		System.out.println("load test: recording " + namespace + "/" + deployment + " and its HPA for up to " + duration.toSeconds() + " s");
	}

	private void finishClusterRecording() throws IOException {
		if (clusterRecording == null) {
			return;
		}
		try {
			// the recorder stops at its deadline; do not wait past the end of the run for it
			List<ClusterRecorder.Sample> samples = clusterRecording.get(settings.profile().shape().durationSeconds() + 180L,
					java.util.concurrent.TimeUnit.SECONDS);
			ClusterRecorder.writeCsv(settings.outputDir().resolve("cluster-recording.csv"), samples);
			ClusterRecorder.chart(settings.outputDir().resolve("cluster-recording.png"),
					"Notejam " + settings.profile().name().toLowerCase() + " on the cluster", samples);
			System.out.println("load test: cluster recording (" + samples.size() + " samples) in " + settings.outputDir());
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
			System.out.println("load test: cluster recording failed: " + e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		finally {
			kubernetes.close();
		}
	}

	@Override
	public void after() {
		if (embeddedApp != null) {
			embeddedApp.close();
		}
		try {
			finishClusterRecording();
		}
		catch (IOException e) {
			System.out.println("load test: could not write the cluster recording: " + e);
		}
		try {
			ledger.write(settings.outputDir());
			System.out.println("load test: journeys ledger in " + settings.outputDir().toAbsolutePath()
					+ " (lost sessions: " + ledger.lostSessions() + ")");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
