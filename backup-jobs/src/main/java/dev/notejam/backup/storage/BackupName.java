package dev.notejam.backup.storage;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key layout of DESIGN.md section 8:
 * {@code <env>/postgres/<YYYY>/<MM>/<YYYYMMDDHHMM>-<trigger>.dump.<compression>.enc}, with the manifest beside it as
 * {@code <YYYYMMDDHHMM>-<trigger>.manifest.json}. Times are UTC.
 */
public record BackupName(String environment, LocalDateTime takenAt, Trigger trigger, String compression) implements Comparable<BackupName> {

    public enum Trigger {
        SCHEDULED, MANUAL, PREDEPLOY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Trigger parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trigger must be scheduled, manual or predeploy, got '" + value + "'");
            }
        }
    }

    public static final String COMPRESSION_ZSTD = "zst";
    public static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
    private static final Pattern DUMP_KEY = Pattern.compile(
            "([a-z][a-z0-9-]*)/postgres/(\\d{4})/(\\d{2})/(\\d{12})-(scheduled|manual|predeploy)\\.dump\\.([a-z0-9]+)\\.enc");

    public static BackupName of(String environment, ZonedDateTime when, Trigger trigger) {
        return new BackupName(environment, when.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime().withSecond(0).withNano(0),
                trigger, COMPRESSION_ZSTD);
    }

    /** Parses a dump key; anything else under the prefix (manifests, stray files) gives empty. */
    public static Optional<BackupName> parseDumpKey(String key) {
        Matcher m = DUMP_KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDateTime takenAt = LocalDateTime.parse(m.group(4), MINUTE);
        if (!m.group(2).equals(m.group(4).substring(0, 4)) || !m.group(3).equals(m.group(4).substring(4, 6))) {
            return Optional.empty();
        }
        return Optional.of(new BackupName(m.group(1), takenAt, Trigger.parse(m.group(5)), m.group(6)));
    }

    public static String prefix(String environment) {
        return environment + "/postgres/";
    }

    public String stamp() {
        return takenAt.format(MINUTE);
    }

    private String directory() {
        return String.format("%s/postgres/%04d/%02d/", environment, takenAt.getYear(), takenAt.getMonthValue());
    }

    public String dumpKey() {
        return directory() + stamp() + "-" + trigger.label() + ".dump." + compression + ".enc";
    }

    public String manifestKey() {
        return directory() + stamp() + "-" + trigger.label() + ".manifest.json";
    }

    @Override
    public int compareTo(BackupName other) {
        int byTime = takenAt.compareTo(other.takenAt);
        return byTime != 0 ? byTime : dumpKey().compareTo(other.dumpKey());
    }
}
