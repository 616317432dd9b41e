package dev.notejam.backup.pipeline;

import dev.notejam.backup.report.Progress;
import dev.notejam.backup.storage.BackupStore.StoredBackup;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code list}: backups of the environment in a date range (UTC days, inclusive) with size, age and trigger. */
public final class ListJob {

    private final Toolbox tools;

    public ListJob(Toolbox tools) {
        this.tools = tools;
    }

    public List<StoredBackup> run(Optional<LocalDate> from, Optional<LocalDate> to, PrintStream out) {
        List<StoredBackup> backups = tools.log().step("list", () -> tools.store().list(tools.settings().environment()).stream()
                .filter(b -> from.map(f -> !b.name().takenAt().toLocalDate().isBefore(f)).orElse(true))
                .filter(b -> to.map(t -> !b.name().takenAt().toLocalDate().isAfter(t)).orElse(true))
                .toList(), l -> Map.of("backups", l.size()));
        out.printf("%-17s %-10s %12s %10s %-12s  %s%n", "TAKEN (UTC)", "TRIGGER", "SIZE", "AGE", "STORAGE", "KEY");
        for (StoredBackup b : backups) {
            Duration age = Duration.between(b.lastModified(), tools.clock().instant());
            out.printf("%-17s %-10s %12s %10s %-12s  %s%s%n", b.name().takenAt().toString().replace('T', ' '), b.name().trigger().label(),
                    Progress.humanBytes(b.sizeBytes()), age(age), b.storageClass() == null ? "STANDARD" : b.storageClass(), b.name().dumpKey(), b.hasManifest() ? "" : "  (incomplete: no manifest)");
        }
        out.flush();
        return backups;
    }

    private static String age(Duration age) {
        if (age.toDays() > 0) {
            return age.toDays() + "d" + age.toHoursPart() + "h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h" + age.toMinutesPart() + "m";
        }
        return Math.max(age.toMinutes(), 0) + "m";
    }
}
