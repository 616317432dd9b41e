package dev.notejam.app.outage;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.resource.ResourceUrlProvider;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns "PostgreSQL or Redis is unreachable" into a 503 page with {@code Retry-After}, wherever in the request it
 * happened: in Spring Session's read of the session (Redis), in Spring Security, in a controller or in a view.
 * <p>
 * It sits outside Spring Session's filter (so it also catches the session's read and save) and inside the HTTP
 * metrics filter (so {@code http_server_requests} counts these answers as 503, which the balancer and the error-rate
 * alerts see). The page is rendered without the session, the database or the layout, which need the stores that
 * are down. A form that was posted comes back on it with what the user typed (never a password), to be sent again.
 * Any other failure is left alone: it stays a 500.
 */
public class DependencyOutageFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DependencyOutageFilter.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final ITemplateEngine templates;
    private final ResourceUrlProvider resourceUrls;
    private final long retryAfterSeconds;
    private final StuckRedisConnections stuckRedis;
    private final MeterRegistry meters;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong unloggedSinceLast = new AtomicLong();

    public DependencyOutageFilter(ITemplateEngine templates, ResourceUrlProvider resourceUrls, DependencyTimeouts timeouts,
                                  StuckRedisConnections stuckRedis, MeterRegistry meters) {
        this.templates = templates;
        this.resourceUrls = resourceUrls;
        this.retryAfterSeconds = Math.max(1, timeouts.retryAfter().toSeconds());
        this.stuckRedis = stuckRedis;
        this.meters = meters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            Optional<Dependency> down = Dependency.unavailableIn(failure);
            if (down.isEmpty()) {
                throw failure;
            }
            if (Dependency.isRedisTimeout(failure)) {
                stuckRedis.commandTimedOut();
            }
            meters.counter("notejam.dependency.unavailable", "dependency", down.get().label()).increment();
            // The request metric keeps naming the failure (its exception tag), which the dependency alerts select on
            // (helm-charts/charts/notejam/files/prometheus/notejam-rules.yaml), although the answer is now a 503.
            Throwable reported = unwrapServletException(failure);
            ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setError(reported));
            logRateLimited(down.get(), failure);
            if (response.isCommitted()) {
                throw failure; // the page is half sent: nothing better to do than to end the response
            }
            answerUnavailable(request, response);
        }
    }

    private void answerUnavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.reset();
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        response.setHeader("Cache-Control", "no-store");
        // reset() dropped the headers Spring Security had written: the ones this page needs come back here.
        response.setHeader("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());

        Context page = new Context(Locale.ENGLISH);
        page.setVariable("cssUrl", stylesheetUrl());
        page.setVariable("retryAfterSeconds", retryAfterSeconds);
        page.setVariable("retryUrl", sameSiteUrl(request));
        boolean postedForm = "POST".equals(request.getMethod()) && isForm(request);
        page.setVariable("postedForm", postedForm);
        page.setVariable("keptFields", postedForm ? keptFields(request) : List.of());
        page.setVariable("csrfToken", postedForm ? request.getParameter("_csrf") : null);
        templates.process("unavailable", page, response.getWriter());
        response.flushBuffer();
    }

    /** A field the user typed, to be shown and sent again; passwords and the CSRF token are never shown. */
    public record KeptField(String name, String value) {
    }

    private static List<KeptField> keptFields(HttpServletRequest request) {
        List<KeptField> kept = new ArrayList<>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            if ("_csrf".equals(name) || name.toLowerCase(Locale.ROOT).contains("password")) {
                continue;
            }
            for (String value : parameter.getValue()) {
                kept.add(new KeptField(name, value));
            }
        }
        return kept;
    }

    /** The page asked for, as a local link only ("//host/..." would leave the site). */
    private static String sameSiteUrl(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.contains("\\")) {
            return "/";
        }
        return request.getQueryString() == null ? path : path + "?" + request.getQueryString();
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    private String stylesheetUrl() {
        String hashed = resourceUrls.getForLookupPath("/css/notejam.css");
        return hashed == null ? "/css/notejam.css" : hashed;
    }

    /** One line per dependency every 10 s at most: an outage under load must not flood the logs. */
    private void logRateLimited(Dependency down, Throwable failure) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("Answered 503: {} is unavailable ({}); {} more such answers since the last line",
                    down.label(), rootMessage(failure), unloggedSinceLast.getAndSet(0));
        } else {
            unloggedSinceLast.incrementAndGet();
        }
    }

    private static Throwable unwrapServletException(Throwable failure) {
        Throwable t = failure;
        while (t instanceof ServletException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
