package dev.notejam.backup.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An {@link OutputStream} that uploads what is written to it as an S3 multipart upload.
 *
 * <p>Memory is bounded whatever the size: a fixed pool of part buffers is shared between the writer (filling one) and
 * the upload threads (sending the others). When all buffers are in flight the writer blocks, which slows the whole
 * pipeline down to the upload rate instead of buffering more. Each part is retried by the SDK from its buffer.
 */
public final class MultipartUploadStream extends OutputStream {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final BlockingQueue<byte[]> freeBuffers;
    private final ExecutorService uploaders;
    private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private byte[] current;
    private int position;
    private int nextPartNumber = 1;
    private boolean closed;
    private CompleteMultipartUploadResponse completion;

    MultipartUploadStream(S3Client s3, String bucket, String key, String uploadId, int partSize, int uploadThreads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
        // one buffer being filled plus one per upload thread
        this.freeBuffers = new ArrayBlockingQueue<>(uploadThreads + 1);
        for (int i = 0; i < uploadThreads + 1; i++) {
            freeBuffers.add(new byte[partSize]);
        }
        this.uploaders = Executors.newFixedThreadPool(uploadThreads, r -> {
            Thread t = new Thread(r, "s3-upload");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        while (length > 0) {
            if (current == null) {
                current = takeBuffer();
                position = 0;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(data, offset, current, position, n);
            position += n;
            offset += n;
            length -= n;
            if (position == current.length) {
                sendCurrent();
            }
        }
    }

    private byte[] takeBuffer() throws IOException {
        throwIfFailed();
        try {
            return freeBuffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for an upload slot", e);
        }
    }

    private void sendCurrent() throws IOException {
        throwIfFailed();
        byte[] buffer = current;
        int length = position;
        int partNumber = nextPartNumber++;
        current = null;
        position = 0;
        parts.add(CompletableFuture.supplyAsync(() -> {
            try {
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                        .contentLength((long) length), RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(buffer, 0, length))).eTag();
                return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                throw e;
            } finally {
                freeBuffers.add(buffer);
            }
        }, uploaders));
    }

    private void throwIfFailed() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("upload of a part of s3://" + bucket + "/" + key + " failed: " + t.getMessage(), t);
        }
    }

    /** Sends the last part and completes the upload; the object appears only now. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (current != null && position > 0 || parts.isEmpty()) {
                if (current == null) {
                    current = takeBuffer();
                }
                sendCurrent();
            }
            List<CompletedPart> done = new ArrayList<>();
            for (CompletableFuture<CompletedPart> part : parts) {
                done.add(part.get());
            }
            done.sort(Comparator.comparing(CompletedPart::partNumber));
            completion = s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
        } catch (ExecutionException e) {
            throw new IOException("upload of s3://" + bucket + "/" + key + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while completing the upload", e);
        } finally {
            uploaders.shutdownNow();
        }
    }

    /** Gives up: no object is created, and S3 frees the parts already sent. */
    public void abort() {
        closed = true;
        uploaders.shutdownNow();
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException ignored) {
            // best effort: the bucket's lifecycle rule also aborts incomplete uploads
        }
    }

    public CompleteMultipartUploadResponse completion() {
        return completion;
    }

    public int partsUploaded() {
        return parts.size();
    }
}
