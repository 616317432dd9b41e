package dev.notejam.backup.pipeline;

import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.storage.BackupName;
import dev.notejam.backup.storage.BackupStore.ObjectVersion;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Brings a backup back from S3 Glacier Flexible Retrieval or Deep Archive (where the bucket's lifecycle moves it after
 * a year): requests a temporary restore of its objects (RestoreObject) unless one is already running, then waits,
 * printing progress, until S3 reports them readable. AWS documents Deep Archive restores within 12 hours (Standard
 * tier) or 48 hours (Bulk), and Glacier Flexible Retrieval within 3-5 hours (Standard) or 5-12 hours (Bulk).
 */
final class ArchiveRestore {

    private final Toolbox tools;
    private final BackupReader.ArchiveOptions options;

    ArchiveRestore(Toolbox tools, BackupReader.ArchiveOptions options) {
        this.tools = tools;
        this.options = options;
    }

    void bringBack(BackupName name, Map<String, ObjectVersion> objects) {
        Map<String, ObjectVersion> archived = new LinkedHashMap<>();
        objects.forEach((key, version) -> {
            if (version.needsArchiveRestore()) {
                archived.put(key, version);
            }
        });
        String storageClass = archived.values().iterator().next().storageClass();
        for (Map.Entry<String, ObjectVersion> object : archived.entrySet()) {
            if (object.getValue().archiveRestoreInProgress()) {
                tools.log().info("archive-restore", "restore of " + object.getKey() + " from " + object.getValue().storageClass()
                        + " already in progress", Map.of("key", object.getKey()));
            } else {
                tools.log().step("archive-restore", () -> {
                    tools.store().requestArchiveRestore(object.getKey(), options.days(), options.tier());
                    return object.getKey();
                }, k -> Map.of("key", k, "storageClass", object.getValue().storageClass(), "tier", options.tier(),
                        "days", options.days()));
            }
        }
        String what = "backup " + name.stamp() + " (" + archived.size() + " object" + (archived.size() == 1 ? "" : "s")
                + " in " + storageClass + ", tier " + options.tier() + ", " + expected(storageClass) + ")";
        if (!options.awaitRestore()) {
            throw BackupFailure.pending("restore from the archive requested for " + what + "; run the same command again"
                    + " when S3 has restored it (it stays readable for " + options.days() + " days)");
        }
        long started = System.nanoTime();
        long deadline = started + options.maxWait().toNanos();
        int ready = 0;
        while (ready < archived.size()) {
            if (System.nanoTime() > deadline) {
                throw new BackupFailure("S3 did not restore " + what + " within " + options.maxWait().toHours()
                        + " hours; the request stays active: run the same command again to keep waiting");
            }
            ready = (int) archived.keySet().stream().filter(k -> !tools.store().head(k).orElseThrow(() ->
                    new BackupFailure("backup object " + k + " disappeared while it was being restored")).needsArchiveRestore()).count();
            long elapsed = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            tools.progressOut().printf("restore: waiting for S3 to restore %s: %d of %d objects ready, elapsed %02d:%02d:%02d%s%n",
                    what, ready, archived.size(), elapsed / 3600, elapsed / 60 % 60, elapsed % 60,
                    ready < archived.size() ? ", next check in " + tools.archivePollEvery().toSeconds() + " s" : "");
            tools.progressOut().flush();
            if (ready < archived.size()) {
                sleep(tools.archivePollEvery());
            }
        }
        tools.log().info("archive-restore", "backup " + name.stamp() + " is readable again", Map.of("key", name.dumpKey(),
                "waitedSeconds", Duration.ofNanos(System.nanoTime() - started).toSeconds()));
    }

    private String expected(String storageClass) {
        boolean bulk = "Bulk".equalsIgnoreCase(options.tier());
        if ("DEEP_ARCHIVE".equals(storageClass)) {
            return bulk ? "AWS documents up to 48 hours" : "AWS documents up to 12 hours";
        }
        return bulk ? "AWS documents 5-12 hours" : "Expedited".equalsIgnoreCase(options.tier()) ? "AWS documents 1-5 minutes"
                : "AWS documents 3-5 hours";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure("interrupted while waiting for the archive restore", e);
        }
    }
}
