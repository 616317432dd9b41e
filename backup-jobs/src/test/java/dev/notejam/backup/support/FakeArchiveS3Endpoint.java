package dev.notejam.backup.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A FAKE of S3's archive behaviour (storage classes and RestoreObject), which S3Proxy does not implement: an HTTP
 * endpoint speaking the S3 REST API for the calls a restore makes (ListObjectsV2, HeadObject, GetObject with Range,
 * RestoreObject), serving the bytes of the real S3Proxy through the AWS SDK. Keys marked archived report
 * DEEP_ARCHIVE, refuse GET with 403 InvalidObjectState until a RestoreObject request has been made and the object has
 * been polled {@code pollsUntilRestored} times, as S3 would after hours.
 */
public final class FakeArchiveS3Endpoint implements AutoCloseable {

    public record RestoreRequest(String key, int days, String tier) {
    }

    private final HttpServer server;
    private final S3Client real;
    private final Set<String> archived = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> pollsLeft = new ConcurrentHashMap<>();
    private final int pollsUntilRestored;
    public final List<RestoreRequest> restoreRequests = new CopyOnWriteArrayList<>();

    public FakeArchiveS3Endpoint(S3Client real, int pollsUntilRestored) throws IOException {
        this.real = real;
        this.pollsUntilRestored = pollsUntilRestored;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void archive(String key) {
        archived.add(key);
    }

    private boolean readable(String key) {
        Integer left = pollsLeft.get(key);
        return !archived.contains(key) || left != null && left <= 0;
    }

    private String restoreHeader(String key) {
        Integer left = pollsLeft.get(key);
        if (left == null) {
            return null;
        }
        return left > 0 ? "ongoing-request=\"true\"" : "ongoing-request=\"false\", expiry-date=\"Fri, 11 Dec 2026 00:00:00 GMT\"";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            URI uri = exchange.getRequestURI();
            String[] path = uri.getRawPath().substring(1).split("/", 2);
            String bucket = path[0];
            String key = path.length > 1 ? URLDecoder.decode(path[1], StandardCharsets.UTF_8) : "";
            Map<String, String> query = query(uri.getRawQuery());
            String method = exchange.getRequestMethod();
            if (key.isEmpty() && "GET".equals(method)) {
                list(exchange, bucket, query);
            } else if ("POST".equals(method) && query.containsKey("restore")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                restoreRequests.add(new RestoreRequest(key, Integer.parseInt(between(body, "<Days>", "</Days>")), between(body, "<Tier>", "</Tier>")));
                pollsLeft.putIfAbsent(key, pollsUntilRestored);
                send(exchange, 202, Map.of(), new byte[0]);
            } else if ("HEAD".equals(method)) {
                HeadObjectResponse head = real.headObject(r -> r.bucket(bucket).key(key));
                pollsLeft.computeIfPresent(key, (k, v) -> v - 1);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("ETag", head.eTag());
                headers.put("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(head.lastModified().atZone(java.time.ZoneOffset.UTC)));
                headers.put("Content-Length", Long.toString(head.contentLength()));
                if (archived.contains(key)) {
                    headers.put("x-amz-storage-class", "DEEP_ARCHIVE");
                    String restore = restoreHeader(key);
                    if (restore != null) {
                        headers.put("x-amz-restore", restore);
                    }
                }
                sendHead(exchange, headers);
            } else if ("GET".equals(method)) {
                if (!readable(key)) {
                    send(exchange, 403, Map.of("Content-Type", "application/xml"), ("<Error><Code>InvalidObjectState</Code>"
                            + "<Message>The operation is not valid for the object's storage class</Message></Error>").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String range = exchange.getRequestHeaders().getFirst("Range");
                try (ResponseInputStream<GetObjectResponse> object = real.getObject(r -> r.bucket(bucket).key(key).range(range))) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("ETag", object.response().eTag());
                    if (object.response().contentRange() != null) {
                        headers.put("Content-Range", object.response().contentRange());
                    }
                    byte[] bytes = object.readAllBytes();
                    send(exchange, range == null ? 200 : 206, headers, bytes);
                }
            } else {
                send(exchange, 501, Map.of(), new byte[0]);
            }
        } catch (NoSuchKeyException e) {
            send(exchange, 404, Map.of(), new byte[0]);
        } catch (S3Exception e) {
            send(exchange, e.statusCode(), Map.of(), new byte[0]);
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of(), String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void list(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>").append(bucket)
                .append("</Name><IsTruncated>false</IsTruncated>");
        real.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(query.get("prefix"))).contents().forEach(o -> xml.append("<Contents><Key>")
                .append(o.key()).append("</Key><LastModified>").append(o.lastModified()).append("</LastModified><ETag>")
                .append(o.eTag()).append("</ETag><Size>").append(o.size()).append("</Size><StorageClass>")
                .append(archived.contains(o.key()) ? "DEEP_ARCHIVE" : "STANDARD").append("</StorageClass></Contents>"));
        xml.append("</ListBucketResult>");
        send(exchange, 200, Map.of("Content-Type", "application/xml"), xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String between(String text, String open, String close) {
        int start = text.indexOf(open);
        return start < 0 ? null : text.substring(start + open.length(), text.indexOf(close, start));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                values.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void sendHead(HttpExchange exchange, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
