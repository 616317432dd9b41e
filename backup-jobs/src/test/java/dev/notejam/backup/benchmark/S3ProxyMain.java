package dev.notejam.backup.benchmark;

import dev.notejam.backup.support.S3Server;

/**
 * Benchmark helper (not a test): the tests' S3Proxy (filesystem store under java.io.tmpdir) in its own JVM, so that
 * the backup process is measured alone. Prints the endpoint and a bucket, then serves until killed.
 * Usage: S3ProxyMain BUCKET_PREFIX
 */
public final class S3ProxyMain {

    private S3ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        S3Server server = S3Server.shared();
        String bucket = server.createBucket(args.length > 0 ? args[0] : "bench");
        System.out.println("BACKUP_S3_ENDPOINT=" + server.endpoint());
        System.out.println("BACKUP_S3_BUCKET=" + bucket);
        System.out.flush();
        Thread.currentThread().join();
    }
}
