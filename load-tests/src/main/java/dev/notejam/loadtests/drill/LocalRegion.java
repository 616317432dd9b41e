package dev.notejam.loadtests.drill;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One "region" on this machine: its own PostgreSQL cluster (Debian's server, own data directory and port), Redis,
 * S3-compatible server (S3Proxy in its own JVM, own store) and Notejam app process, all on 127.0.0.1. Losing the region
 * is SIGKILL to every one of its processes at once: no shutdown hook, no checkpoint, no last flush.
 */
final class LocalRegion implements AutoCloseable {

	static final String S3_ACCESS_KEY = "test-access-key"; // S3Proxy's local test identity, nothing else accepts it
	static final String S3_SECRET_KEY = "test-secret-key";

	final String name;
	final Path dir;
	final int pgPort;
	final int redisPort;
	final int appPort;
	final int managementPort;
	private final Path pgBin;
	private Process redis;
	private Process s3;
	private Process app;
	private URI s3Endpoint;
	private String bucket;
	private boolean killed;

	LocalRegion(String name, Path dir, Path pgBin, int basePort) {
		this.name = name;
		this.dir = dir;
		this.pgBin = pgBin;
		this.pgPort = basePort;
		this.redisPort = basePort + 1;
		this.appPort = basePort + 2;
		this.managementPort = basePort + 3;
	}

	URI appUrl() {
		return URI.create("http://127.0.0.1:" + appPort);
	}

	URI s3Endpoint() {
		return s3Endpoint;
	}

	String bucket() {
		return bucket;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + pgPort + "/notejam";
	}

	void requirePortsFree() {
		for (int port : new int[] {pgPort, redisPort, appPort, managementPort}) {
			try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(false);
			}
			catch (IOException e) {
				throw new IllegalStateException("port " + port + " of region " + name + " is taken: refusing to share it");
			}
		}
	}

	void startDatabase() throws IOException, InterruptedException {
		Path data = dir.resolve("pg");
		Files.createDirectories(data);
		Commands.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), Duration.ofSeconds(10), Map.of());
		Commands.run(asPostgres(pgBin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
				"--locale=C.UTF-8", "-E", "UTF8"), Duration.ofSeconds(120), Map.of());
		Commands.run(asPostgres(pgBin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(),
				"-w", "-t", "60", "-o", "-p " + pgPort + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + data
						+ " -c max_connections=100", "start"), Duration.ofSeconds(90), Map.of());
		psql("postgres", "create database notejam");
	}

	void startRedis() throws IOException {
		redis = Commands.start(List.of("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
				"--appendonly", "no"), dir.resolve("redis.log"), Map.of());
	}

	/** S3Proxy from backup-jobs' test classes (the server the backup tests use), with its own filesystem store. */
	void startS3(String s3ProxyClasspath) throws IOException, InterruptedException {
		Path store = Files.createDirectories(dir.resolve("s3"));
		Path out = dir.resolve("s3proxy.out");
		s3 = Commands.start(List.of(javaBin(), "-Xmx192m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + store, "-cp", s3ProxyClasspath,
				"dev.notejam.backup.benchmark.S3ProxyMain", "notejam-" + name + "-backups"), out, Map.of());
		Instant deadline = Instant.now().plusSeconds(120);
		while (Instant.now().isBefore(deadline)) {
			for (String line : Files.readAllLines(out)) {
				if (line.startsWith("BACKUP_S3_ENDPOINT=")) {
					s3Endpoint = URI.create(line.substring(line.indexOf('=') + 1).trim());
				}
				else if (line.startsWith("BACKUP_S3_BUCKET=")) {
					bucket = line.substring(line.indexOf('=') + 1).trim();
				}
			}
			if (s3Endpoint != null && bucket != null) {
				return;
			}
			if (!s3.isAlive()) {
				throw new IllegalStateException("S3Proxy of " + name + " exited: see " + out);
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("S3Proxy of " + name + " did not start within 120 s");
	}

	/** The app as the image runs it, configured by environment variables only (DESIGN.md section 4). */
	void startApp(Path appJar) throws IOException {
		app = Commands.start(List.of(javaBin(), "-Xmx384m", "-XX:+UseSerialGC", "-jar", appJar.toString()), dir.resolve("app.log"),
				Map.ofEntries(Map.entry("SPRING_DATASOURCE_URL", jdbcUrl()), Map.entry("SPRING_DATASOURCE_USERNAME", "postgres"),
						Map.entry("SPRING_DATASOURCE_PASSWORD", ""), Map.entry("SPRING_DATA_REDIS_HOST", "127.0.0.1"),
						Map.entry("SPRING_DATA_REDIS_PORT", String.valueOf(redisPort)), Map.entry("SERVER_PORT", String.valueOf(appPort)),
						Map.entry("SERVER_ADDRESS", "127.0.0.1"), Map.entry("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort)),
						Map.entry("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1"), Map.entry("NOTEJAM_BASE_URL", appUrl().toString()),
						Map.entry("MALLOC_ARENA_MAX", "2"),
						// as the harness: two shared cores under load make the defaults (2 s) fail a healthy start
						Map.entry("SPRING_DATA_REDIS_CONNECTTIMEOUT", "10s"), Map.entry("SPRING_DATA_REDIS_TIMEOUT", "10s")));
	}

	/** Polls /actuator/health/readiness (database and Redis included) until 200, bounded. */
	Instant awaitAppReady(Duration timeout) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			try {
				if (client.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return Instant.now();
				}
			}
			catch (IOException e) {
				// not listening yet
			}
			if (app == null || !app.isAlive()) {
				throw new IllegalStateException("the app of " + name + " exited: see " + dir.resolve("app.log"));
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("the app of " + name + " was not ready within " + timeout);
	}

	String psql(String database, String sql) throws IOException, InterruptedException {
		return Commands.run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(pgPort), "-U", "postgres", "-d", database,
				"-v", "ON_ERROR_STOP=1", "-AtqF", "|", "-c", sql), Duration.ofSeconds(60), Map.of());
	}

	/** The region is lost: SIGKILL to the app, PostgreSQL (postmaster and every backend), Redis and S3Proxy. */
	Instant kill() throws IOException {
		List<ProcessHandle> victims = new ArrayList<>();
		for (Process p : new Process[] {app, redis, s3}) {
			if (p != null) {
				victims.add(p.toHandle());
			}
		}
		Path pid = dir.resolve("pg/postmaster.pid");
		if (Files.exists(pid)) {
			ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).ifPresent(postmaster -> {
				victims.add(postmaster);
				postmaster.descendants().forEach(victims::add);
			});
		}
		Instant at = Instant.now();
		victims.forEach(ProcessHandle::destroyForcibly);
		killed = true;
		return at;
	}

	@Override
	public void close() {
		for (Process p : new Process[] {app, redis, s3}) {
			if (p != null && p.isAlive()) {
				p.destroy();
				try {
					if (!p.waitFor(20, TimeUnit.SECONDS)) {
						p.destroyForcibly();
					}
				}
				catch (InterruptedException e) {
					p.destroyForcibly();
					Thread.currentThread().interrupt();
				}
			}
		}
		Path data = dir.resolve("pg");
		if (!killed && Files.exists(data.resolve("postmaster.pid"))) {
			try {
				Commands.run(asPostgres(pgBin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
						Duration.ofSeconds(30), Map.of());
			}
			catch (Exception e) {
				System.err.println("drill: could not stop PostgreSQL of " + name + ": " + e.getMessage());
			}
		}
	}

	private static List<String> asPostgres(String... command) {
		List<String> full = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			full.addAll(List.of("runuser", "-u", "postgres", "--")); // PostgreSQL refuses to run as root
		}
		full.addAll(List.of(command));
		return full;
	}

	static String javaBin() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}
}
