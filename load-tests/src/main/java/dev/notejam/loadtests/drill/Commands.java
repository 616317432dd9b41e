package dev.notejam.loadtests.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Child processes of the drill: every one bounded in time, its output kept in a file or returned. */
final class Commands {

	private Commands() {
	}

	/** Runs to completion within {@code timeout}; returns stdout, throws with stderr on a non-zero exit. */
	static String run(List<String> command, Duration timeout, Map<String, String> env) throws IOException, InterruptedException {
		Path out = Files.createTempFile("drill-cmd", ".out");
		Path err = Files.createTempFile("drill-cmd", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
			builder.environment().putAll(env);
			Process process = builder.start();
			if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(command.get(0) + " did not finish within " + timeout);
			}
			String stdout = Files.readString(out, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " exited "
						+ process.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8).strip());
			}
			return stdout.strip();
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	/** Starts a long-running process with stdout and stderr appended to {@code log}. */
	static Process start(List<String> command, Path log, Map<String, String> env) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(env);
		return builder.start();
	}
}
