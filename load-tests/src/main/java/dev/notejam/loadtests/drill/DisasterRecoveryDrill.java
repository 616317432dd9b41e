package dev.notejam.loadtests.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notejam.loadtests.drill.DrillVerdict.RestoredNote;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The disaster-recovery drill (R4, issue 18), on this machine: two "regions" as separate process sets, each with its
 * own PostgreSQL, Redis, S3-compatible server and app. Users write through the primary; a scheduled backup runs with
 * the real backup CLI; the bucket replicates to DR; the primary region is SIGKILLed; the failover signal (three failed
 * probes of the page the health check requests) decides; DR restores the latest replicated backup, starts its app
 * (scaled to zero until then, as prod-dr is) and users sign in again. Measures RPO and RTO and checks every note.
 *
 * <pre>DisasterRecoveryDrill --build-dir=DIR --work-dir=DIR --report-dir=DIR [--commit=SHA]</pre>
 * Usually run through {@code ci/scripts/dr-drill.sh}.
 */
public final class DisasterRecoveryDrill {

	static final int USERS_BEFORE_BACKUP = 6;
	static final int USERS_AFTER_BACKUP = 2;
	static final Duration WRITES_BEFORE_BACKUP = Duration.ofSeconds(20);
	static final Duration WRITES_AFTER_REPLICATION = Duration.ofSeconds(20);
	static final Duration WRITE_PAUSE = Duration.ofMillis(400);
	/** The backup waits until every early user has this many acknowledged writes (a loaded machine starts slowly). */
	static final int MIN_WRITES_BEFORE_BACKUP = 5;
	/** The failover signal: Route 53 marks an endpoint unhealthy after 3 failed probes (every 30 s in AWS, 1 s here). */
	static final int PROBE_FAILURES = 3;
	static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
	static final String HEALTH_CHECK_PATH = "/signin/";

	private final Map<String, String> options;
	private final List<DrillReport.Event> events = new ArrayList<>();
	private final WriteLedger ledger = new WriteLedger();
	private final Map<String, String> passwords = new LinkedHashMap<>();
	private final Map<String, CookieManager> cookieJars = new HashMap<>();
	private final AtomicBoolean writing = new AtomicBoolean(true);
	private final AtomicInteger failedWrites = new AtomicInteger();
	private final java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
	private final String encryptionKey;

	private DisasterRecoveryDrill(Map<String, String> options) {
		this.options = options;
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		// A key shared by both regions as a multi-Region KMS key would be; generated per run, never written anywhere.
		this.encryptionKey = Base64.getEncoder().encodeToString(key);
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("usage: --build-dir=DIR --work-dir=DIR --report-dir=DIR [--commit=SHA], got " + arg);
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		System.setProperty("java.awt.headless", "true");
		boolean passed = new DisasterRecoveryDrill(options).run();
		System.exit(passed ? 0 : 1);
	}

	private Path path(String option) {
		String value = options.get(option);
		if (value == null) {
			throw new IllegalArgumentException("--" + option + " is required");
		}
		return Path.of(value).toAbsolutePath();
	}

	private void mark(String label) {
		events.add(new DrillReport.Event(label, Instant.now()));
		System.out.printf("[drill %s] %s%n", Instant.now(), label);
	}

	private boolean run() throws Exception {
		Path build = path("build-dir");
		Path work = path("work-dir");
		Path reportDir = path("report-dir");
		Path appJar;
		try (var jars = Files.list(build.resolve("notejam-app/target"))) {
			appJar = jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
					.orElseThrow(() -> new IllegalStateException("no notejam-app exec jar under " + build));
		}
		String backupCp = build.resolve("backup-jobs/target/classes") + ":" + build.resolve("backup-jobs/target/test-classes") + ":"
				+ Files.readString(build.resolve("backup-jobs/backup-classpath.txt")).strip();
		Path pgBin;
		try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
			pgBin = versions.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin");
		}
		Files.createDirectories(work);

		try (LocalRegion primary = new LocalRegion("primary", work.resolve("primary"), pgBin, 45510);
				LocalRegion dr = new LocalRegion("dr", work.resolve("dr"), pgBin, 45610)) {
			primary.requirePortsFree();
			dr.requirePortsFree();
			mark("drill started");
			for (LocalRegion region : List.of(primary, dr)) {
				region.startDatabase();
				region.startRedis();
				region.startS3(backupCp);
			}
			mark("both regions' data stores up; DR app scaled to 0 (stand-by)");
			primary.startApp(appJar);
			primary.awaitAppReady(Duration.ofSeconds(420));
			mark("primary app ready");

			try (BucketReplicator replicator = new BucketReplicator(primary.s3Endpoint(), primary.bucket(), dr.s3Endpoint(), dr.bucket(),
					Duration.ofSeconds(1))) {
				replicator.start();
				List<Thread> writers = new ArrayList<>();
				for (int i = 0; i < USERS_BEFORE_BACKUP; i++) {
					writers.add(startWriter(primary.appUrl(), "early-" + i));
				}
				Thread.sleep(WRITES_BEFORE_BACKUP.toMillis());
				awaitWritesOfEveryUser(MIN_WRITES_BEFORE_BACKUP, Duration.ofSeconds(300));

				mark("scheduled backup started");
				Instant backupStarted = events.get(events.size() - 1).at();
				String backupLog = Commands.run(backupCommand("backup", "--trigger", "scheduled"), Duration.ofSeconds(300),
						backupEnv(primary, "prod"));
				mark("scheduled backup finished");
				Instant backupFinished = events.get(events.size() - 1).at();
				for (int i = 0; i < USERS_AFTER_BACKUP; i++) {
					writers.add(startWriter(primary.appUrl(), "late-" + i));
				}
				Instant replicatedBy = awaitManifestReplicated(replicator, Duration.ofSeconds(120));
				events.add(new DrillReport.Event("backup and manifest replicated to DR", replicatedBy));
				Thread.sleep(WRITES_AFTER_REPLICATION.toMillis());

				String loadAtKill = Files.readString(Path.of("/proc/loadavg")).strip();
				Instant killed = primary.kill();
				events.add(new DrillReport.Event("primary region killed (SIGKILL: app, PostgreSQL, Redis, S3)", killed));
				writing.set(false);
				Instant decided = awaitFailoverSignal(primary.appUrl());
				events.add(new DrillReport.Event("failover decided (" + PROBE_FAILURES + " failed probes of " + HEALTH_CHECK_PATH + ")", decided));
				for (Thread writer : writers) {
					writer.join(30_000);
				}

				mark("DR restore started (restore --latest from the replica bucket)");
				String listing = Commands.run(backupCommand("list"), Duration.ofSeconds(120), backupEnv(dr, "prod"));
				String restoreLog = Commands.run(backupCommand("restore", "--latest"), Duration.ofSeconds(600), backupEnv(dr, "prod"));
				mark("DR restore finished");
				dr.startApp(appJar);
				mark("DR app starting (scaled up from 0)");
				Instant ready = dr.awaitAppReady(Duration.ofSeconds(420));
				events.add(new DrillReport.Event("DR app ready", ready));

				if (passwords.isEmpty()) {
					throw new IllegalStateException("no user could sign up on the primary: " + failures);
				}
				String firstUser = passwords.keySet().iterator().next();
				Instant firstSignIn = signInUntilOk(dr.appUrl(), firstUser, Duration.ofSeconds(60));
				events.add(new DrillReport.Event("first user signed in on DR", firstSignIn));

				// The old session cookie reaches DR (same host name after failover) but DR's Redis is empty: sign in again.
				boolean oldSessionValid = new NotejamBrowser(dr.appUrl(), cookieJars.get(firstUser)).signedInAs(firstUser);
				Map<String, Boolean> signIns = new LinkedHashMap<>();
				for (Map.Entry<String, String> user : passwords.entrySet()) {
					try {
						new NotejamBrowser(dr.appUrl()).signIn(user.getKey(), user.getValue());
						signIns.put(user.getKey(), true);
					}
					catch (IOException e) {
						signIns.put(user.getKey(), false);
					}
				}

				Map<Long, RestoredNote> restored = new HashMap<>();
				for (String line : dr.psql("notejam", "select n.id, u.email, md5(n.name), md5(n.text) from notes n join users u on u.id = n.owner_id").split("\n")) {
					if (!line.isBlank()) {
						String[] f = line.split("\\|");
						restored.put(Long.parseLong(f[0]), new RestoredNote(f[1], f[2], f[3]));
					}
				}
				Set<String> restoredEmails = new HashSet<>(List.of(dr.psql("notejam", "select email from users").split("\n")));
				JsonNode manifest = readManifest(dr, replicator);
				DrillVerdict.Result verdict = DrillVerdict.judge(ledger.writes(), ledger.unanswered(), ledger.signUps(), backupStarted,
						backupFinished, restored, restoredEmails);
				boolean signInsAsExpected = verdict.accountsKept().stream().allMatch(s -> signIns.get(s.email()))
						&& verdict.accountsLost().stream().noneMatch(s -> signIns.get(s.email()));
				boolean passed = verdict.passed() && !oldSessionValid && signInsAsExpected;

				DrillReport report = new DrillReport(events, ledger, verdict, manifest, replicator.replicated(), killed, decided, firstSignIn,
						backupStarted, backupFinished, oldSessionValid, signIns, failedWrites.get(), options.getOrDefault("commit", "unknown"),
						listing, lastJsonLine(backupLog), lastJsonLine(restoreLog), passed,
						loadAtKill, Files.readString(Path.of("/proc/loadavg")).strip());
				report.write(reportDir);
				failures.forEach(f -> System.out.println("drill: failed request: " + f));
				System.out.println(report.summary());
				return passed;
			}
		}
	}

	private Thread startWriter(URI primaryUrl, String label) {
		String email = "drill-" + label + "-" + UUID.randomUUID().toString().substring(0, 8) + "@drill.notejam.dev";
		String password = "drill-password-" + UUID.randomUUID();
		CookieManager jar = new CookieManager();
		Thread thread = new Thread(() -> {
			NotejamBrowser browser = new NotejamBrowser(primaryUrl, jar);
			try {
				Instant requested = signUpAndIn(browser, email, password);
				synchronized (passwords) {
					passwords.put(email, password);
					cookieJars.put(email, jar);
				}
				List<Long> mine = new ArrayList<>();
				int n = 0;
				while (writing.get()) {
					n++;
					String name = "Drill note " + label + " #" + n;
					String text = "Written at " + Instant.now() + " by " + email + ". " + UUID.randomUUID() + " " + "Lorem ipsum. ".repeat(n % 7);
					requested = Instant.now();
					try {
						if (n % 4 == 0 && !mine.isEmpty()) {
							long id = mine.get(n % mine.size());
							browser.editNote(id, name + " (edited)", text);
							ledger.write(email, id, WriteLedger.Kind.EDIT, name + " (edited)", text, requested, Instant.now());
						}
						else {
							long id = browser.createNote(name, text);
							ledger.write(email, id, WriteLedger.Kind.CREATE, name, text, requested, Instant.now());
							mine.add(id);
						}
					}
					catch (IOException e) {
						failedWrites.incrementAndGet(); // not acknowledged: never promised to the user, but maybe committed
						note(label, e);
						if (n % 4 == 0 && !mine.isEmpty()) {
							ledger.unanswered(email, mine.get(n % mine.size()), WriteLedger.Kind.EDIT, name + " (edited)", text, requested, Instant.now());
						}
					}
					Thread.sleep(WRITE_PAUSE.toMillis());
				}
			}
			catch (IOException e) {
				failedWrites.incrementAndGet();
				note(label, e);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "writer-" + label);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	/**
	 * Signs up and in, retrying: an answer lost to a timeout may still have created the account, so a retry first tries
	 * to sign in. The sign-up counts as acknowledged when the app confirmed it (or the account answered a sign-in).
	 */
	private Instant signUpAndIn(NotejamBrowser browser, String email, String password) throws IOException, InterruptedException {
		IOException last = null;
		for (int attempt = 0; attempt < 5 && writing.get(); attempt++) {
			Instant requested = Instant.now();
			try {
				if (attempt > 0) {
					try {
						browser.signIn(email, password);
						ledger.signUp(email, requested, Instant.now());
						return requested;
					}
					catch (IOException notThere) {
						// not created: sign up again below
					}
				}
				browser.signUp(email, password);
				ledger.signUp(email, requested, Instant.now());
				browser.signIn(email, password);
				return requested;
			}
			catch (IOException e) {
				last = e;
				note(email, e);
				Thread.sleep(1000);
			}
		}
		throw last != null ? last : new IOException("writing stopped before " + email + " signed up");
	}

	private void note(String who, Exception e) {
		if (failures.size() < 30) {
			failures.add(Instant.now() + " " + who + ": " + e);
		}
	}

	private void awaitWritesOfEveryUser(int writes, Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			Map<String, Long> perUser = new HashMap<>();
			ledger.writes().forEach(w -> perUser.merge(w.email(), 1L, Long::sum));
			if (perUser.size() >= USERS_BEFORE_BACKUP && perUser.values().stream().allMatch(n -> n >= writes)) {
				return;
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("the early users did not each write " + writes + " notes within " + timeout + ": " + failures);
	}

	private Instant awaitManifestReplicated(BucketReplicator replicator, Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			var manifests = replicator.replicated().values().stream().filter(r -> r.key().endsWith(".manifest.json")).toList();
			if (!manifests.isEmpty()) {
				return manifests.get(0).replicatedAt();
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("the backup did not replicate within " + timeout + ": " + replicator.stoppedBecause());
	}

	/** Probes the page the Route 53 health check requests until {@link #PROBE_FAILURES} consecutive failures. */
	private Instant awaitFailoverSignal(URI primaryUrl) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		int failures = 0;
		while (failures < PROBE_FAILURES) {
			boolean healthy;
			try {
				healthy = client.send(HttpRequest.newBuilder(primaryUrl.resolve(HEALTH_CHECK_PATH)).timeout(Duration.ofSeconds(4)).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			}
			catch (IOException e) {
				healthy = false;
			}
			failures = healthy ? 0 : failures + 1;
			if (failures < PROBE_FAILURES) {
				Thread.sleep(PROBE_INTERVAL.toMillis());
			}
		}
		return Instant.now();
	}

	private Instant signInUntilOk(URI drUrl, String email, Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		IOException last = null;
		while (Instant.now().isBefore(deadline)) {
			try {
				new NotejamBrowser(drUrl).signIn(email, passwords.get(email));
				return Instant.now();
			}
			catch (IOException e) {
				last = e;
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("no sign-in on DR within " + timeout + ": " + last);
	}

	private List<String> backupCommand(String... args) throws IOException {
		Path build = path("build-dir");
		String cp = build.resolve("backup-jobs/target/classes") + ":" + Files.readString(build.resolve("backup-jobs/backup-classpath.txt")).strip();
		List<String> command = new ArrayList<>(List.of(LocalRegion.javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", cp,
				"dev.notejam.backup.BackupCli"));
		command.addAll(List.of(args));
		return command;
	}

	/** The backup job's settings in a region; DR reads prod's backups (BACKUP_ENVIRONMENT=prod) from its replica bucket. */
	private Map<String, String> backupEnv(LocalRegion region, String environment) {
		return Map.ofEntries(Map.entry("BACKUP_DATABASE_URL", region.jdbcUrl()), Map.entry("BACKUP_DATABASE_USERNAME", "postgres"),
				Map.entry("BACKUP_DATABASE_PASSWORD", ""), Map.entry("BACKUP_ENVIRONMENT", environment),
				Map.entry("BACKUP_S3_BUCKET", region.bucket()), Map.entry("BACKUP_S3_REGION", "us-east-1"),
				Map.entry("BACKUP_S3_ENDPOINT", region.s3Endpoint().toString()), Map.entry("BACKUP_S3_PATH_STYLE", "true"),
				Map.entry("BACKUP_ENCRYPTION_KEY", encryptionKey), Map.entry("AWS_ACCESS_KEY_ID", LocalRegion.S3_ACCESS_KEY),
				Map.entry("AWS_SECRET_ACCESS_KEY", LocalRegion.S3_SECRET_KEY));
	}

	private static JsonNode readManifest(LocalRegion dr, BucketReplicator replicator) throws IOException {
		String key = replicator.replicated().keySet().stream().filter(k -> k.endsWith(".manifest.json")).sorted()
				.reduce((a, b) -> b).orElseThrow();
		try (S3Client s3 = BucketReplicator.client(dr.s3Endpoint())) {
			return new ObjectMapper().readTree(s3.getObjectAsBytes(r -> r.bucket(dr.bucket()).key(key)).asByteArray());
		}
	}

	private static String lastJsonLine(String log) {
		String[] lines = log.split("\n");
		for (int i = lines.length - 1; i >= 0; i--) {
			if (lines[i].startsWith("{")) {
				return lines[i];
			}
		}
		return "";
	}
}
