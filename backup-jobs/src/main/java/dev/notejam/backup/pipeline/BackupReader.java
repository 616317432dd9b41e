package dev.notejam.backup.pipeline;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.postgres.TableStats;
import dev.notejam.backup.report.Progress;
import dev.notejam.backup.storage.BackupName;
import dev.notejam.backup.storage.BackupStore.ObjectVersion;
import dev.notejam.backup.storage.BackupStore.StoredBackup;
import dev.notejam.backup.crypto.EnvelopeEncryption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds a stored backup and streams it back: download → SHA-256 → decrypt (authenticated) → zstd → a sink.
 * Shared by restore and verify. Before anything is streamed, {@link #locate} brings the backup back from the archive
 * if it is there, opens its key for the name it is stored under (refusing a backup copied from another name or
 * environment) and authenticates its manifest with that key.
 */
public final class BackupReader {

    record Located(BackupName name, Manifest manifest, ObjectVersion version, EnvelopeEncryption.OpenedBackup key) {
    }

    /** What to do with a backup in GLACIER/DEEP_ARCHIVE: request its restore (tier, days) and wait for it, or not. */
    public record ArchiveOptions(String tier, int days, boolean awaitRestore, Duration maxWait) {
        public static ArchiveOptions defaults() {
            return new ArchiveOptions("Standard", 7, true, Duration.ofHours(48));
        }
    }

    private final Toolbox tools;

    BackupReader(Toolbox tools) {
        this.tools = tools;
    }

    Located locate(BackupSelector selector) {
        return locate(selector, ArchiveOptions.defaults());
    }

    Located locate(BackupSelector selector, ArchiveOptions archive) {
        String environment = tools.settings().environment();
        List<StoredBackup> backups = tools.store().list(environment);
        StoredBackup chosen = selector.pick(backups).orElseThrow(() -> new BackupFailure("no complete backup for "
                + selector.describe() + " under s3://" + tools.store().bucket() + "/" + BackupName.prefix(environment)
                + " (" + backups.size() + " backup objects there; a complete backup has both its dump object and its manifest)"));
        BackupName name = chosen.name();
        ObjectVersion version = head(name.dumpKey());
        ObjectVersion manifestVersion = head(name.manifestKey());
        if (version.needsArchiveRestore() || manifestVersion.needsArchiveRestore()) {
            new ArchiveRestore(tools, archive).bringBack(name, Map.of(name.dumpKey(), version, name.manifestKey(), manifestVersion));
            version = head(name.dumpKey());
        }
        Manifest manifest = Manifest.fromJson(tools.store().getText(name.manifestKey()), name.manifestKey());
        if (version.sizeBytes() != manifest.sizes().encryptedBytes()) {
            throw new BackupFailure("backup object " + name.dumpKey() + " is " + version.sizeBytes() + " bytes but its manifest says "
                    + manifest.sizes().encryptedBytes() + ": the object is truncated or was replaced; nothing was restored");
        }
        EnvelopeEncryption.OpenedBackup key;
        try {
            byte[] header = tools.store().readPrefix(name.dumpKey(), version, EnvelopeEncryption.MAX_HEADER_BYTES);
            key = tools.encryption().open(new ByteArrayInputStream(header), BackupJob.binding(name));
        } catch (IOException e) {
            throw new BackupFailure("backup " + name.dumpKey() + " failed its integrity and authenticity check (" + e.getMessage()
                    + "); nothing was restored", e);
        }
        if (!EnvelopeEncryption.MANIFEST_MAC.equals(manifest.authentication().algorithm())
                || !key.manifestMacMatches(manifest.canonicalBytes(), manifest.authentication().value())) {
            throw new BackupFailure("manifest " + name.manifestKey() + " is not authentic: its " + EnvelopeEncryption.MANIFEST_MAC
                    + " does not match the backup's key (it was edited or belongs to another backup); nothing was restored");
        }
        if (!name.dumpKey().equals(manifest.objectKey()) || !name.environment().equals(manifest.environment())) {
            throw new BackupFailure("manifest " + name.manifestKey() + " describes " + manifest.objectKey() + " of environment "
                    + manifest.environment() + ", not this backup; nothing was restored");
        }
        return new Located(name, manifest, version, key);
    }

    private ObjectVersion head(String key) {
        return tools.store().head(key).orElseThrow(() ->
                new BackupFailure("backup object s3://" + tools.store().bucket() + "/" + key + " is missing"));
    }

    /**
     * Streams the plaintext dump into {@code sink}. Throws {@link BackupFailure} when authentication, the ciphertext
     * digest or a size differs from the manifest; the sink then may have seen an authentic prefix only.
     */
    void stream(Located backup, OutputStream sink, String what) {
        MessageDigest sha256 = BackupJob.sha256();
        try (Progress progress = new Progress(tools.progressOut(), what + " " + backup.name().stamp(), tools.progressEvery());
             InputStream download = tools.store().open(backup.name().dumpKey(), backup.version())) {
            CountingInputStream ciphertext = new CountingInputStream(download, sha256, progress::add);
            long plainBytes;
            try (InputStream plain = new ZstdInputStreamNoFinalizer(backup.key().decrypt(ciphertext))) {
                plainBytes = transfer(plain, new SinkStream(sink));
                // Read to the very end so the digest covers the whole object.
                ciphertext.transferTo(OutputStream.nullOutputStream());
            }
            String digest = HexFormat.of().formatHex(sha256.digest());
            if (!digest.equals(backup.manifest().sha256())) {
                throw new BackupFailure("integrity check failed for " + backup.name().dumpKey() + ": SHA-256 " + digest
                        + " differs from the manifest's " + backup.manifest().sha256());
            }
            if (plainBytes != backup.manifest().sizes().dumpBytes()) {
                throw new BackupFailure("integrity check failed for " + backup.name().dumpKey() + ": " + plainBytes
                        + " dump bytes, manifest says " + backup.manifest().sizes().dumpBytes());
            }
        } catch (IOException e) {
            throw new BackupFailure("backup " + backup.name().dumpKey() + " failed its integrity and authenticity check ("
                    + e.getMessage() + "): it is corrupted, truncated or encrypted with another key", e);
        }
    }

    /** A failure of the consumer (pg_restore exited), not of the backup: kept apart from integrity failures. */
    static final class SinkFailure extends RuntimeException {
        SinkFailure(IOException cause) {
            super("the consumer stopped reading: " + cause.getMessage(), cause);
        }
    }

    private static final class SinkStream extends OutputStream {
        private final OutputStream sink;

        SinkStream(OutputStream sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                sink.write(b, off, len);
            } catch (IOException e) {
                throw new SinkFailure(e);
            }
        }
    }

    private static long transfer(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[Toolbox.COPY_BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** Differences between the manifest's tables and what a database holds now; empty when they agree. */
    static List<String> compare(List<TableStats> expected, List<TableStats> actual, boolean checksums) {
        Map<String, TableStats> found = actual.stream().collect(Collectors.toMap(TableStats::qualifiedName, Function.identity()));
        List<String> differences = new ArrayList<>();
        for (TableStats e : expected) {
            TableStats a = found.get(e.qualifiedName());
            if (a == null) {
                differences.add(e.qualifiedName() + " is missing");
            } else if (a.rowCount() != e.rowCount()) {
                differences.add(e.qualifiedName() + " has " + a.rowCount() + " rows, manifest says " + e.rowCount());
            } else if (checksums && e.rowsSha256() != null && !Objects.equals(a.rowsSha256(), e.rowsSha256())) {
                differences.add(e.qualifiedName() + " rows differ: checksum " + a.rowsSha256() + ", manifest says " + e.rowsSha256());
            }
        }
        return differences;
    }
}
