package dev.notejam.app.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The request threads of the app's Tomcat, busy and at most, as the gauges the service dashboard reads
 * ({@code tomcat.threads.busy}, {@code tomcat.threads.config.max}). Micrometer's Tomcat binder reads the same figures
 * from Tomcat's MBean registry. That registry took 0.26-0.34 s of the fast start (notejam-app/BENCHMARKS.md, round 10)
 * and is off, so they are read from the connector's own thread pool instead.
 */
@Component
@ConditionalOnWebApplication
class TomcatThreadMetrics implements ApplicationListener<WebServerInitializedEvent> {

    private final MeterRegistry registry;

    TomcatThreadMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // The management server (port 8081) is a Tomcat of its own; its threads serve probes and scrapes, not users.
        if (event.getApplicationContext().getServerNamespace() != null
                || !(event.getWebServer() instanceof TomcatWebServer tomcat)) {
            return;
        }
        for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
            if (connector.getProtocolHandler().getExecutor() instanceof ThreadPoolExecutor threads) {
                String name = connector.getProtocolHandler().getClass().getSimpleName() + "-" + connector.getLocalPort();
                Gauge.builder("tomcat.threads.busy", threads, ThreadPoolExecutor::getActiveCount)
                        .tag("name", name).baseUnit("threads").description("Request threads serving a request")
                        .register(registry);
                Gauge.builder("tomcat.threads.config.max", threads, ThreadPoolExecutor::getMaximumPoolSize)
                        .tag("name", name).baseUnit("threads").description("Most request threads the connector starts")
                        .register(registry);
            }
        }
    }
}
