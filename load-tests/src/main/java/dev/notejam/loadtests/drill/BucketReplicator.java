package dev.notejam.loadtests.drill;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What S3 cross-region replication does for the backup bucket (infra-terraform modules/backup-storage): every new
 * object of the primary's bucket is copied, asynchronously and object by object, to the DR region's bucket. Here a
 * thread polls the primary's listing and copies what is new through the real S3 API of both S3Proxy servers; each
 * object's replication time is recorded. When the primary is gone, replication simply stops: whatever was not copied
 * yet is lost with the region.
 */
final class BucketReplicator implements AutoCloseable {

	/** When an object was written in the primary (its Last-Modified) and when it existed in DR. */
	record Replicated(String key, long bytes, Instant primaryLastModified, Instant replicatedAt) {
	}

	private final S3Client source;
	private final String sourceBucket;
	private final S3Client target;
	private final String targetBucket;
	private final Duration interval;
	private final Map<String, Replicated> replicated = new ConcurrentHashMap<>();
	private volatile boolean running = true;
	private volatile String stoppedBecause = "";
	private final Thread thread;

	BucketReplicator(URI sourceEndpoint, String sourceBucket, URI targetEndpoint, String targetBucket, Duration interval) {
		this.source = client(sourceEndpoint);
		this.sourceBucket = sourceBucket;
		this.target = client(targetEndpoint);
		this.targetBucket = targetBucket;
		this.interval = interval;
		this.thread = new Thread(this::loop, "bucket-replicator");
		this.thread.setDaemon(true);
	}

	static S3Client client(URI endpoint) {
		return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
				.credentialsProvider(StaticCredentialsProvider.create(
						AwsBasicCredentials.create(LocalRegion.S3_ACCESS_KEY, LocalRegion.S3_SECRET_KEY)))
				.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
				.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
				.overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(30)).retryStrategy(r -> r.maxAttempts(1)))
				.build();
	}

	void start() {
		thread.start();
	}

	Map<String, Replicated> replicated() {
		return Map.copyOf(replicated);
	}

	String stoppedBecause() {
		return stoppedBecause;
	}

	private void loop() {
		while (running) {
			try {
				for (S3Object object : source.listObjectsV2Paginator(r -> r.bucket(sourceBucket)).contents()) {
					if (!replicated.containsKey(object.key())) {
						byte[] bytes = source.getObjectAsBytes(r -> r.bucket(sourceBucket).key(object.key())).asByteArray();
						target.putObject(r -> r.bucket(targetBucket).key(object.key()), RequestBody.fromBytes(bytes));
						replicated.put(object.key(), new Replicated(object.key(), bytes.length, object.lastModified(), Instant.now()));
					}
				}
				Thread.sleep(interval.toMillis());
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				if (running) {
					stoppedBecause = e.getClass().getSimpleName() + ": " + e.getMessage();
				}
				try {
					Thread.sleep(interval.toMillis());
				}
				catch (InterruptedException ie) {
					return;
				}
			}
		}
	}

	@Override
	public void close() {
		running = false;
		thread.interrupt();
		source.close();
		target.close();
	}
}
