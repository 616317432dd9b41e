package dev.notejam.loadtests.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.notejam.loadtests.drill.WriteLedger.AckedSignUp;
import dev.notejam.loadtests.drill.WriteLedger.AckedWrite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The drill's report: markdown figures, the raw timeline as JSON, and a timeline picture drawn from the measured times. */
final class DrillReport {

	record Event(String label, Instant at) {
	}

	private final List<Event> events;
	private final WriteLedger ledger;
	private final DrillVerdict.Result verdict;
	private final JsonNode manifest;
	private final Map<String, BucketReplicator.Replicated> replicated;
	private final Instant killed;
	private final Instant decided;
	private final Instant firstSignIn;
	private final Instant backupStarted;
	private final Instant backupFinished;
	private final boolean oldSessionValid;
	private final Map<String, Boolean> signIns;
	private final int failedWrites;
	private final String commit;
	private final String listing;
	private final String backupResult;
	private final String restoreResult;
	private final boolean passed;
	private final String loadAtKill;
	private final String loadAtEnd;

	DrillReport(List<Event> events, WriteLedger ledger, DrillVerdict.Result verdict, JsonNode manifest,
			Map<String, BucketReplicator.Replicated> replicated, Instant killed, Instant decided, Instant firstSignIn, Instant backupStarted,
			Instant backupFinished, boolean oldSessionValid, Map<String, Boolean> signIns, int failedWrites, String commit, String listing,
			String backupResult, String restoreResult, boolean passed, String loadAtKill, String loadAtEnd) {
		this.loadAtKill = loadAtKill;
		this.loadAtEnd = loadAtEnd;
		this.events = events.stream().sorted(Comparator.comparing(Event::at)).toList();
		this.ledger = ledger;
		this.verdict = verdict;
		this.manifest = manifest;
		this.replicated = replicated;
		this.killed = killed;
		this.decided = decided;
		this.firstSignIn = firstSignIn;
		this.backupStarted = backupStarted;
		this.backupFinished = backupFinished;
		this.oldSessionValid = oldSessionValid;
		this.signIns = signIns;
		this.failedWrites = failedWrites;
		this.commit = commit;
		this.listing = listing;
		this.backupResult = backupResult;
		this.restoreResult = restoreResult;
		this.passed = passed;
	}

	private static double seconds(Instant from, Instant to) {
		return Duration.between(from, to).toMillis() / 1000.0;
	}

	private Instant start() {
		return events.get(0).at();
	}

	private Instant event(String prefix) {
		return events.stream().filter(e -> e.label().startsWith(prefix)).map(Event::at).findFirst().orElseThrow();
	}

	/**
	 * RPO as measured: from the recovery point to the loss of the region. The recovery point is the backup's snapshot,
	 * which lies after the last write DR holds was acknowledged and before the first lost one was; the newest
	 * acknowledged write in DR is taken, so the figure is the span of acknowledged writes that were lost.
	 */
	double rpoSeconds() {
		return seconds(recoveryPoint(), killed);
	}

	Instant recoveryPoint() {
		java.util.Set<AckedWrite> lost = new java.util.HashSet<>(verdict.lost());
		return ledger.writes().stream().filter(w -> !lost.contains(w)).map(AckedWrite::ackedAt).max(Comparator.naturalOrder())
				.orElse(Instant.parse(manifest.path("startedAt").asText()));
	}

	/** What the manifest says: when the backup job started (JVM up, before its lock and snapshot). */
	double manifestAgeSeconds() {
		return seconds(Instant.parse(manifest.path("startedAt").asText()), killed);
	}

	double rtoSeconds() {
		return seconds(killed, firstSignIn);
	}

	String summary() {
		return String.format(Locale.ROOT, "DR drill %s: RPO %.1f s (%d acknowledged writes lost), RTO %.1f s; %d of %d notes written before the backup identical",
				passed ? "PASSED" : "FAILED", rpoSeconds(), verdict.lost().size(), rtoSeconds(), verdict.identical(),
				verdict.checkedBeforeBackup().size());
	}

	void write(Path dir) throws IOException {
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("drill-report.md"), markdown());
		Map<String, Object> raw = new LinkedHashMap<>();
		raw.put("passed", passed);
		raw.put("commit", commit);
		raw.put("rpoSeconds", rpoSeconds());
		raw.put("rtoSeconds", rtoSeconds());
		raw.put("events", events.stream().map(e -> Map.of("label", e.label(), "at", e.at().toString(),
				"seconds", seconds(start(), e.at()))).toList());
		raw.put("loadAverageAtKill", loadAtKill);
		raw.put("loadAverageAtEnd", loadAtEnd);
		raw.put("acknowledgedWrites", ledger.writes().size());
		raw.put("lostWrites", verdict.lost().stream().map(w -> Map.of("email", w.email(), "noteId", w.noteId(), "kind", w.kind().toString(),
				"ackedAt", w.ackedAt().toString())).toList());
		raw.put("accountsLost", verdict.accountsLost().stream().map(AckedSignUp::email).toList());
		raw.put("replicated", replicated.values().stream().map(r -> Map.of("key", r.key(), "bytes", r.bytes(),
				"primaryLastModified", r.primaryLastModified().toString(), "replicatedAt", r.replicatedAt().toString())).toList());
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("drill-result.json").toFile(), raw);
		timeline(dir.resolve("drill-timeline.png"));
	}

	private String markdown() {
		Instant t0 = start();
		StringBuilder md = new StringBuilder();
		md.append("# Disaster-recovery drill: measured report\n\n");
		md.append("Generated by `ci/scripts/dr-drill.sh` (commit `").append(commit).append("`, run ").append(t0).append("). ");
		md.append("What the drill does and how it maps to AWS: [../disaster-recovery.md](../disaster-recovery.md).\n\n");
		md.append("**Result: ").append(passed ? "PASSED" : "FAILED").append("**\n\n");
		md.append("| figure | value |\n|---|---|\n");
		md.append(String.format(Locale.ROOT, "| RPO measured (newest acknowledged write in DR -> primary killed) | %.1f s |%n", rpoSeconds()));
		md.append(String.format(Locale.ROOT, "| backup's manifest `startedAt` -> primary killed (the job starts before its snapshot) | %.1f s |%n",
				manifestAgeSeconds()));
		md.append(String.format(Locale.ROOT, "| acknowledged writes lost (acked after the backup started, not in DR) | %d of %d |%n",
				verdict.lost().size(), ledger.writes().size()));
		md.append(String.format(Locale.ROOT, "| accounts lost (signed up after the backup) | %d of %d |%n", verdict.accountsLost().size(),
				ledger.signUps().size()));
		md.append(String.format(Locale.ROOT, "| RTO measured (primary killed -> first successful sign-in on DR) | %.1f s |%n", rtoSeconds()));
		md.append(String.format(Locale.ROOT, "| of which: failover signal (%d failed probes, 1 s apart) | %.1f s |%n",
				DisasterRecoveryDrill.PROBE_FAILURES, seconds(killed, decided)));
		md.append(String.format(Locale.ROOT, "| of which: list + restore of the latest replicated backup | %.1f s |%n",
				seconds(event("DR restore started"), event("DR restore finished"))));
		md.append(String.format(Locale.ROOT, "| of which: DR app start (from 0) to ready | %.1f s |%n",
				seconds(event("DR app starting"), event("DR app ready"))));
		md.append(String.format(Locale.ROOT, "| notes written before the backup: identical in DR | %d of %d (%d newer from the backup window) |%n",
				verdict.identical(), verdict.checkedBeforeBackup().size(),
				verdict.checkedBeforeBackup().stream().filter(c -> c.outcome() == DrillVerdict.Outcome.NEWER_FROM_BACKUP_WINDOW).count()));
		md.append(String.format(Locale.ROOT, "| writes acknowledged during the backup and kept | %d |%n", verdict.keptFromBackupWindow().size()));
		md.append(String.format(Locale.ROOT, "| writes in DR that the backup cannot hold (must be 0) | %d |%n", verdict.impossible().size()));
		md.append(String.format(Locale.ROOT, "| old session cookie accepted by DR (must be no: Redis in DR starts empty) | %s |%n",
				oldSessionValid ? "yes" : "no"));
		md.append(String.format(Locale.ROOT, "| users who signed in again on DR | %d of %d |%n",
				signIns.values().stream().filter(b -> b).count(), signIns.size()));
		md.append(String.format(Locale.ROOT, "| requests that failed (not acknowledged, e.g. cut off by the kill) | %d |%n", failedWrites));
		md.append(String.format(Locale.ROOT, "| backup: dump / stored bytes, PostgreSQL | %s / %s, %s |%n",
				manifest.path("sizes").path("dumpBytes").asText(), manifest.path("sizes").path("encryptedBytes").asText(),
				manifest.path("postgres").path("serverVersion").asText()));
		md.append(String.format(Locale.ROOT, "| load average (/proc/loadavg) at the kill / at the end, 2 shared cores | %s / %s |%n",
				loadAtKill, loadAtEnd));
		md.append("\n![timeline](drill-timeline.png)\n\n## Timeline\n\n| t (s) | event |\n|---:|---|\n");
		for (Event e : events) {
			md.append(String.format(Locale.ROOT, "| %.1f | %s |%n", seconds(t0, e.at()), e.label()));
		}
		md.append("\n## Replication (primary bucket -> DR bucket)\n\n| object | bytes | written in primary (t s) | in DR (t s) |\n|---|---:|---:|---:|\n");
		replicated.values().stream().sorted(Comparator.comparing(BucketReplicator.Replicated::replicatedAt)).forEach(r -> md.append(String.format(
				Locale.ROOT, "| `%s` | %d | %.1f | %.1f |%n", r.key(), r.bytes(), seconds(t0, r.primaryLastModified()), seconds(t0, r.replicatedAt()))));
		md.append("\nLast-Modified has one-second resolution in S3, so the primary time is rounded down.\n");
		md.append("\n## Lost writes (the RPO, listed)\n\n| acknowledged at (t s) | user | note | kind |\n|---:|---|---:|---|\n");
		for (AckedWrite w : verdict.lost()) {
			md.append(String.format(Locale.ROOT, "| %.1f | %s | %d | %s |%n", seconds(t0, w.ackedAt()), w.email(), w.noteId(), w.kind()));
		}
		md.append("\n## Notes written before the backup that did not match\n\n");
		md.append(verdict.failedChecks().isEmpty() ? "None.\n" : "| note | user | outcome |\n|---:|---|---|\n");
		verdict.failedChecks().forEach(c -> md.append(String.format(Locale.ROOT, "| %d | %s | %s |%n", c.noteId(), c.email(), c.outcome())));
		md.append(String.format(Locale.ROOT, "%nNotes whose DR state is an edit that was never answered (the primary committed it, the answer was lost): %d.%n",
				verdict.checkedBeforeBackup().stream().filter(c -> c.outcome() == DrillVerdict.Outcome.FROM_UNANSWERED_WRITE).count()));
		md.append("\nAccounts lost: ").append(verdict.accountsLost().isEmpty() ? "none" : String.join(", ",
				verdict.accountsLost().stream().map(AckedSignUp::email).toList())).append(".\n");
		md.append("\n## What the backup CLI said\n\n`list` in DR (prod's backups in the replica bucket):\n\n```\n").append(listing.strip())
				.append("\n```\n\nLast log line of `backup`: `").append(backupResult).append("`\n\nLast log line of `restore`: `")
				.append(restoreResult).append("`\n");
		return md.toString();
	}

	private void timeline(Path png) throws IOException {
		Instant t0 = start();
		XYSeries acked = new XYSeries("acknowledged writes (primary)");
		XYSeries kept = new XYSeries("of which in DR after the restore");
		List<AckedWrite> writes = new ArrayList<>(ledger.writes());
		writes.sort(Comparator.comparing(AckedWrite::ackedAt));
		java.util.Set<AckedWrite> lost = new java.util.HashSet<>(verdict.lost());
		acked.add(0, 0);
		kept.add(0, 0);
		int n = 0;
		int k = 0;
		for (AckedWrite w : writes) {
			n++;
			if (!lost.contains(w)) {
				k++;
			}
			acked.add(seconds(t0, w.ackedAt()), n);
			kept.add(seconds(t0, w.ackedAt()), k);
		}
		double end = seconds(t0, events.get(events.size() - 1).at()) + 2;
		acked.add(end, n);
		kept.add(end, k);
		XYSeriesCollection data = new XYSeriesCollection();
		data.addSeries(acked);
		data.addSeries(kept);
		XYStepRenderer renderer = new XYStepRenderer();
		renderer.setSeriesPaint(0, new Color(0x1f77b4));
		renderer.setSeriesPaint(1, new Color(0x2ca02c));
		renderer.setSeriesStroke(0, new BasicStroke(2f));
		renderer.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
		NumberAxis x = new NumberAxis("seconds since the drill started");
		NumberAxis y = new NumberAxis("acknowledged writes (cumulative)");
		XYPlot plot = new XYPlot(data, x, y, renderer);
		plot.setBackgroundPaint(Color.WHITE);
		plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
		plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
		band(plot, "backup", seconds(t0, backupStarted), seconds(t0, backupFinished), new Color(255, 200, 0, 90));
		band(plot, "lost (RPO)", seconds(t0, recoveryPoint()), seconds(t0, killed), new Color(214, 39, 40, 40));
		band(plot, "detect", seconds(t0, killed), seconds(t0, decided), new Color(148, 103, 189, 70));
		band(plot, "restore", seconds(t0, event("DR restore started")), seconds(t0, event("DR restore finished")), new Color(23, 190, 207, 70));
		band(plot, "DR app start", seconds(t0, event("DR app starting")), seconds(t0, event("DR app ready")), new Color(44, 160, 44, 60));
		line(plot, "primary killed", seconds(t0, killed), Color.RED);
		line(plot, "first sign-in on DR", seconds(t0, firstSignIn), new Color(0, 120, 0));
		line(plot, "primary app ready", seconds(t0, event("primary app ready")), Color.GRAY);
		JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "DR drill: RPO %.1f s (%d writes lost), RTO %.1f s", rpoSeconds(),
				verdict.lost().size(), rtoSeconds()), new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
		chart.setBackgroundPaint(Color.WHITE);
		ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 560);
	}

	private static void band(XYPlot plot, String label, double from, double to, Color color) {
		IntervalMarker marker = new IntervalMarker(from, Math.max(to, from + 0.2), color);
		marker.setLabel(label);
		marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		marker.setLabelAnchor(RectangleAnchor.TOP);
		marker.setLabelTextAnchor(TextAnchor.TOP_CENTER);
		plot.addDomainMarker(marker, Layer.BACKGROUND);
	}

	private static void line(XYPlot plot, String label, double at, Color color) {
		ValueMarker marker = new ValueMarker(at, color, new BasicStroke(1.5f));
		marker.setLabel(label);
		marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		marker.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
		marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
		plot.addDomainMarker(marker, Layer.FOREGROUND);
	}
}
