package dev.notejam.backup.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * A local stand-in for the CloudWatch API (an AWS API, so a fake is allowed here): accepts PutMetricData in the
 * AWS query protocol the SDK speaks, records each call's namespace and data, and answers like CloudWatch. It can be
 * switched to failing (HTTP 500) to show a metric that cannot be published never changes a run's outcome.
 */
public final class FakeCloudWatchEndpoint implements AutoCloseable {

    /** One MetricDatum as the SDK sent it. */
    public record Datum(String namespace, String name, double value, String unit, Map<String, String> dimensions) {
    }

    private final HttpServer server;
    private final List<Datum> data = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    public FakeCloudWatchEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] raw;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            Map<String, String> form = form(new String(raw, StandardCharsets.UTF_8));
            byte[] answer;
            int status;
            if (failing) {
                status = 500;
                answer = "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>fake outage</Message></Error><RequestId>r</RequestId></ErrorResponse>"
                        .getBytes(StandardCharsets.UTF_8);
            } else if (!"PutMetricData".equals(form.get("Action"))) {
                status = 400;
                answer = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>only PutMetricData</Message></Error><RequestId>r</RequestId></ErrorResponse>"
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                data.addAll(datums(form));
                status = 200;
                answer = "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>"
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client of this endpoint, as the backup job builds one, with test credentials. */
    public CloudWatchClient client() {
        return CloudWatchClient.builder().endpointOverride(endpoint()).region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public List<Datum> data() {
        return List.copyOf(data);
    }

    /** Metric name to value of what was published, for one namespace. */
    public Map<String, Double> values(String namespace) {
        Map<String, Double> values = new LinkedHashMap<>();
        data.stream().filter(d -> d.namespace().equals(namespace)).forEach(d -> values.put(d.name(), d.value()));
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new TreeMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static List<Datum> datums(Map<String, String> form) {
        List<Datum> datums = new ArrayList<>();
        for (int i = 1; form.containsKey("MetricData.member." + i + ".MetricName"); i++) {
            String prefix = "MetricData.member." + i + ".";
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (int d = 1; form.containsKey(prefix + "Dimensions.member." + d + ".Name"); d++) {
                dimensions.put(form.get(prefix + "Dimensions.member." + d + ".Name"), form.get(prefix + "Dimensions.member." + d + ".Value"));
            }
            datums.add(new Datum(form.get("Namespace"), form.get(prefix + "MetricName"), Double.parseDouble(form.get(prefix + "Value")),
                    form.get(prefix + "Unit"), dimensions));
        }
        return datums;
    }
}
