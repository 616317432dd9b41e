package dev.notejam.app.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Answers 400 for parameters holding a NUL character: PostgreSQL cannot store it in text, and no legitimate form
 * sends one. Runs after the size limit, so reading the parameters is bounded.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class NullByteFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean hasNul = request.getParameterMap().entrySet().stream().anyMatch(entry ->
                entry.getKey().indexOf('\0') >= 0 || java.util.Arrays.stream(entry.getValue()).anyMatch(v -> v.indexOf('\0') >= 0));
        if (hasNul) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        chain.doFilter(request, response);
    }
}
