package dev.notejam.loadtests.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/runbooks (R4, issue 18): every line of a runbook's bash blocks is a script of this repository that exists and
 * passes its dry run with those very arguments, or a Maven run of an existing module. What no script can do is
 * written as prose outside the blocks. backup-and-restore.md belongs to the backup job and has its own conventions.
 */
class RunbookCommandsTest {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
	private static final Path RUNBOOKS = ROOT.resolve("docs/runbooks");
	private static final Map<String, String> SAMPLE_ENV = Map.of("APP_DIGEST", "sha256:" + "a".repeat(64),
			"BACKUP_DIGEST", "sha256:" + "b".repeat(64));

	record Command(String runbook, String line) {
		@Override
		public String toString() {
			return runbook + ": " + line;
		}
	}

	static List<Path> runbooks() throws IOException {
		try (Stream<Path> files = Files.list(RUNBOOKS)) {
			return files.filter(f -> f.toString().endsWith(".md") && !f.getFileName().toString().equals("backup-and-restore.md"))
					.sorted().toList();
		}
	}

	static List<Command> commands() throws IOException {
		List<Command> commands = new ArrayList<>();
		for (Path runbook : runbooks()) {
			boolean inBash = false;
			for (String line : Files.readAllLines(runbook)) {
				if (line.startsWith("```")) {
					inBash = !inBash && line.equals("```bash");
					continue;
				}
				if (inBash && !line.isBlank()) {
					commands.add(new Command(runbook.getFileName().toString(), line.strip()));
				}
			}
		}
		return commands;
	}

	@Test
	void theRunbooksTheIssueAsksForExistAndEachHasCommands() throws IOException {
		List<String> names = runbooks().stream().map(p -> p.getFileName().toString()).toList();
		assertThat(names).contains("failover-to-prod-dr.md", "failback-to-prod.md", "rds-point-in-time-restore.md",
				"restore-backup-older-than-a-year.md", "release-rollback.md", "quarterly-dr-drill.md");
		List<Command> commands = commands();
		for (String name : names) {
			assertThat(commands).as("%s names at least one command", name).anyMatch(c -> c.runbook().equals(name));
		}
		assertThat(commands).extracting(Command::line)
				.contains("ci/scripts/dr-failover.sh --step promote", "ci/scripts/dr-failover.sh --step fence-primary", "ci/scripts/dr-drill.sh")
				.anyMatch(l -> l.startsWith("ci/scripts/rds-pitr.sh --env prod --to "))
				.anyMatch(l -> l.startsWith("ci/scripts/rollback.sh --env prod"))
				.anyMatch(l -> l.contains("restore --at") && l.contains("--archive-tier"));
		assertThat(Files.readString(ROOT.resolve("docs/disaster-recovery.md"))).contains("RPO", "RTO", "sign in again");
	}

	@Test
	void theFailbackIsCommandsInTheirOrderFromReplicaToStandBy() throws IOException {
		// the failback swaps prod's instance and returns prod-dr to stand-by through script steps, never through prose
		List<String> failback = commands().stream().filter(c -> c.runbook().equals("failback-to-prod.md")).map(Command::line).toList();
		List<String> order = List.of("ci/scripts/dr-failover.sh --step failback-replica", "ci/scripts/dr-failover.sh --step swap-prod-instance",
				"ci/scripts/dr-failover.sh --step promote-failback", "ci/scripts/terraform-apply.sh --env prod --plan target/terraform/prod.tfplan",
				"ci/scripts/deploy.sh --env prod --app-digest \"$APP_DIGEST\" --backup-digest \"$BACKUP_DIGEST\"",
				"ci/scripts/dr-failover.sh --step unfence-primary", "ci/scripts/dr-failover.sh --step mark-standby",
				"ci/scripts/dr-failover.sh --step return-to-standby");
		assertThat(failback).containsSubsequence(order);
		assertThat(Files.readString(RUNBOOKS.resolve("failback-to-prod.md"))).doesNotContain("no script here automates");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("commands")
	void everyCommandIsFromThisRepositoryAndPassesItsDryRun(Command command) throws Exception {
		List<String> words = List.of(command.line().split(" +"));
		if (words.get(0).equals("./mvnw")) {
			int pl = words.indexOf("-pl");
			assertThat(pl).as("%s names its module", command).isPositive();
			assertThat(ROOT.resolve(words.get(pl + 1)).resolve("pom.xml")).exists();
			return;
		}
		assertThat(words.get(0)).as("'%s' is not a script of this repository: write it as prose", command).matches("ci/scripts/[a-z0-9-]+\\.sh");
		Path script = ROOT.resolve(words.get(0));
		assertThat(script).exists();
		assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
		List<String> run = new ArrayList<>(List.of("bash", words.get(0)));
		for (String word : words.subList(1, words.size())) {
			String value = word.replaceAll("^\"|\"$", "");
			for (var entry : SAMPLE_ENV.entrySet()) {
				value = value.replace("$" + entry.getKey(), entry.getValue());
			}
			assertThat(value).as("only the documented variables are used in %s", command).doesNotContain("$");
			run.add(value);
		}
		// The options of the script, then --dry-run: backup-job.sh passes everything after "--" to the backup CLI.
		int separator = run.indexOf("--");
		run.add(separator < 0 ? run.size() : separator, "--dry-run");
		ProcessBuilder builder = new ProcessBuilder(run).directory(ROOT.toFile()).redirectErrorStream(true);
		builder.environment().putAll(SAMPLE_ENV);
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finishes", command).isTrue();
		assertThat(process.exitValue()).as("%s --dry-run:%n%s", command, output).isZero();
		assertThat(output).as("a dry run prints the commands it would run").contains("+ ");
	}
}
