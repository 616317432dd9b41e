package dev.notejam.loadtests.observability;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian's package) on a free loopback port with its own data directory, and the few
 * HTTP API calls the test needs. Bounded: {@link #close()} stops it, and it never outlives the test JVM.
 */
final class PrometheusServer implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Process process;

	private final URI baseUrl;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private PrometheusServer(Process process, URI baseUrl) {
		this.process = process;
		this.baseUrl = baseUrl;
	}

	/** The prometheus binary on PATH, if any. */
	static Optional<Path> binary() {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "prometheus");
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	static PrometheusServer start(Path binary, Path config, Path workDir) throws IOException, InterruptedException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		// A fresh database: series of an earlier run would still be inside the 6-hour and 1-day windows.
		Path data = workDir.resolve("prometheus-data");
		if (Files.exists(data)) {
			try (java.util.stream.Stream<Path> old = Files.walk(data)) {
				old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
		Files.createDirectories(data);
		Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=2h",
				"--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
		PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
		Runtime.getRuntime().addShutdownHook(new Thread(server::close, "prometheus-stop"));
		Instant deadline = Instant.now().plusSeconds(60);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("prometheus exited: " + Files.readString(workDir.resolve("prometheus.log")));
			}
			try {
				if (server.get("/-/ready").statusCode() == 200) {
					return server;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(250);
		}
		server.close();
		throw new IllegalStateException("prometheus was not ready within 60 s");
	}

	URI baseUrl() {
		return baseUrl;
	}

	/** GET /api/v1/query: the result array of an instant query. */
	JsonNode query(String promql) throws IOException, InterruptedException {
		return api("/api/v1/query?query=" + encode(promql)).path("data").path("result");
	}

	/** GET /api/v1/query_range: one point per step between start and end. */
	JsonNode queryRange(String promql, Instant start, Instant end, Duration step) throws IOException, InterruptedException {
		return api("/api/v1/query_range?query=" + encode(promql) + "&start=" + start.getEpochSecond() + "&end="
				+ end.getEpochSecond() + "&step=" + step.toSeconds()).path("data").path("result");
	}

	/** GET /api/v1/alerts: the whole answer (status, data.alerts[] with labels, state, activeAt, value). */
	JsonNode alerts() throws IOException, InterruptedException {
		return api("/api/v1/alerts");
	}

	/** GET /api/v1/targets: the scrape targets and their health. */
	JsonNode targets() throws IOException, InterruptedException {
		return api("/api/v1/targets").path("data").path("activeTargets");
	}

	/** GET /api/v1/rules: the loaded rule groups. */
	JsonNode rules() throws IOException, InterruptedException {
		return api("/api/v1/rules").path("data").path("groups");
	}

	private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
		HttpResponse<String> response = get(pathAndQuery);
		JsonNode body = JSON.readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
			throw new IllegalStateException(pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
		}
		return body;
	}

	private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(baseUrl.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static List<String> names(JsonNode result, String label) {
		return java.util.stream.StreamSupport.stream(result.spliterator(), false)
			.map(r -> r.path("metric").path(label).asText()).toList();
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(20, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException e) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}
}
