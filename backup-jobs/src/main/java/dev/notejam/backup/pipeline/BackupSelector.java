package dev.notejam.backup.pipeline;

import dev.notejam.backup.storage.BackupName;
import dev.notejam.backup.storage.BackupStore.StoredBackup;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which backup a restore or verify takes: the latest, the latest of a day (YYYYMMDD) or one run (YYYYMMDDHHMM). */
public record BackupSelector(Optional<LocalDate> day, Optional<LocalDateTime> minute) {

    public static BackupSelector latest() {
        return new BackupSelector(Optional.empty(), Optional.empty());
    }

    public static BackupSelector at(String value) {
        try {
            if (value.matches("\\d{8}")) {
                return new BackupSelector(Optional.of(LocalDate.parse(value, DateTimeFormatter.BASIC_ISO_DATE)), Optional.empty());
            }
            if (value.matches("\\d{12}")) {
                return new BackupSelector(Optional.empty(), Optional.of(LocalDateTime.parse(value, BackupName.MINUTE)));
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("--at takes YYYYMMDD (latest backup of that UTC day) or YYYYMMDDHHMM (that run), got '" + value + "'");
    }

    /** The newest complete backup (one with a manifest) that matches. */
    public Optional<StoredBackup> pick(List<StoredBackup> backups) {
        return backups.stream()
                .filter(StoredBackup::hasManifest)
                .filter(b -> day.map(d -> b.name().takenAt().toLocalDate().equals(d)).orElse(true))
                .filter(b -> minute.map(m -> b.name().takenAt().equals(m)).orElse(true))
                .max(Comparator.comparing(StoredBackup::name));
    }

    public String describe() {
        return minute.map(m -> "the run at " + m.format(BackupName.MINUTE) + " UTC")
                .or(() -> day.map(d -> "the latest backup of " + d + " (UTC)"))
                .orElse("the latest backup");
    }
}
