package dev.notejam.backup.pipeline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/** Counts and optionally hashes the bytes read through it; reports progress. */
final class CountingInputStream extends FilterInputStream {

    private final MessageDigest digest;
    private final LongConsumer onBytes;
    private long count;

    CountingInputStream(InputStream in, MessageDigest digest, LongConsumer onBytes) {
        super(in);
        this.digest = digest;
        this.onBytes = onBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (digest != null) {
                digest.update(b, off, n);
            }
            count += n;
            onBytes.accept(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Hash every byte: read instead of skipping.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }
}
