package dev.notejam.loadtests.smoke;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link EmbeddedNotejam} in its own JVM (so app and load generator do not share a heap or JIT) on free
 * loopback ports, with its output in a log file. Used by the smoke run of {@code ./mvnw verify}.
 */
public final class EmbeddedNotejamProcess implements AutoCloseable {

	private final Process process;
	private final Path stopFile;
	private final Path log;
	private final URI baseUrl;

	private EmbeddedNotejamProcess(Process process, Path stopFile, Path log, URI baseUrl) {
		this.process = process;
		this.stopFile = stopFile;
		this.log = log;
		this.baseUrl = baseUrl;
	}

	/** Starts the app; it may still be starting when this returns (poll {@link #baseUrl()}). */
	public static EmbeddedNotejamProcess start(Path workDir, Duration maxLifetime) throws IOException {
		Files.createDirectories(workDir);
		int httpPort = freePort();
		int managementPort = freePort();
		Path stopFile = workDir.resolve("stop-embedded-notejam");
		Path log = workDir.resolve("embedded-notejam.log");
		Files.deleteIfExists(stopFile);
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				EmbeddedNotejam.class.getName(), String.valueOf(httpPort), String.valueOf(managementPort),
				stopFile.toString(), String.valueOf(maxLifetime.toSeconds()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		EmbeddedNotejamProcess started = new EmbeddedNotejamProcess(process, stopFile, log,
				URI.create("http://127.0.0.1:" + httpPort));
		// if this JVM dies first, do not leave the app behind
		Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-notejam-process-stop"));
		System.out.println("embedded notejam: starting on " + started.baseUrl + " (log: " + log + ")");
		return started;
	}

	public URI baseUrl() {
		return baseUrl;
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	public Path log() {
		return log;
	}

	/** Asks the app to stop (stop file), waits a bounded time, then kills it. */
	@Override
	public void close() {
		if (!process.isAlive()) {
			return;
		}
		try {
			Files.writeString(stopFile, "stop");
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (IOException e) {
			process.destroyForcibly();
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
