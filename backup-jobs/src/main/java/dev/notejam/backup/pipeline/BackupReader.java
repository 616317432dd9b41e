package dev.notejam.backup.pipeline;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.postgres.TableStats;
import dev.notejam.backup.report.Progress;
import dev.notejam.backup.storage.BackupName;
import dev.notejam.backup.storage.BackupStore.ObjectVersion;
import dev.notejam.backup.storage.BackupStore.StoredBackup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds a stored backup and streams it back: download → SHA-256 → decrypt (authenticated) → zstd → a sink.
 * Shared by restore and verify.
 */
final class BackupReader {

    record Located(BackupName name, Manifest manifest, ObjectVersion version) {
    }

    private final Toolbox tools;

    BackupReader(Toolbox tools) {
        this.tools = tools;
    }

    Located locate(BackupSelector selector) {
        String environment = tools.settings().environment();
        List<StoredBackup> backups = tools.store().list(environment);
        StoredBackup chosen = selector.pick(backups).orElseThrow(() -> new BackupFailure("no complete backup for "
                + selector.describe() + " under s3://" + tools.store().bucket() + "/" + BackupName.prefix(environment)
                + " (" + backups.size() + " backup objects there; a complete backup has both its dump object and its manifest)"));
        BackupName name = chosen.name();
        Manifest manifest = Manifest.fromJson(tools.store().getText(name.manifestKey()), name.manifestKey());
        ObjectVersion version = tools.store().head(name.dumpKey()).orElseThrow(() ->
                new BackupFailure("backup object s3://" + tools.store().bucket() + "/" + name.dumpKey() + " is missing"));
        if (version.sizeBytes() != manifest.sizes().encryptedBytes()) {
            throw new BackupFailure("backup object " + name.dumpKey() + " is " + version.sizeBytes() + " bytes but its manifest says "
                    + manifest.sizes().encryptedBytes() + ": the object is truncated or was replaced; nothing was restored");
        }
        return new Located(name, manifest, version);
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
            try (InputStream plain = new ZstdInputStreamNoFinalizer(tools.encryption().decrypt(ciphertext))) {
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
