package dev.notejam.backup.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/** Counts and optionally hashes the bytes on their way through; reports progress. */
final class CountingOutputStream extends FilterOutputStream {

    private final MessageDigest digest;
    private final LongConsumer onBytes;
    private long count;

    CountingOutputStream(OutputStream out, MessageDigest digest, LongConsumer onBytes) {
        super(out);
        this.digest = digest;
        this.onBytes = onBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (digest != null) {
            digest.update(b, off, len);
        }
        count += len;
        onBytes.accept(len);
    }

    long count() {
        return count;
    }
}
