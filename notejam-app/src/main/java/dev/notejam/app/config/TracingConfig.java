package dev.notejam.app.config;

import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Trace and span ids in the log lines of every request (tracing itself: Micrometer Tracing with the OpenTelemetry
 * bridge, sampling and propagation in application.yml; no exporter).
 */
@Configuration(proxyBeanMethods = false)
class TracingConfig {

    /**
     * Puts the ids in the MDC under their ECS names, so the ECS console format nests them as {@code trace.id} and
     * {@code span.id} (Boot's own listener uses traceId and spanId, which are not ECS fields). Replaces Boot's.
     */
    @Bean
    Slf4JEventListener ecsTraceIdsInLogs() {
        return new Slf4JEventListener("trace.id", "span.id");
    }

    /**
     * Work a request hands to the application task executor (the password-reset mail) logs under the request's
     * trace; Boot applies a single TaskDecorator bean to that executor.
     */
    @Bean
    ContextPropagatingTaskDecorator requestContextToTasks() {
        return new ContextPropagatingTaskDecorator();
    }
}
