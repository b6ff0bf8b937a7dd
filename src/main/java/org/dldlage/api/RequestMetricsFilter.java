package org.dldlage.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.dldlage.config.WhenServing;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** {@code age.requests}: the latency of {@code POST /v1/age} with p50/p95/p99, per outcome ({@code ok} or the error code). */
@Component
@WhenServing
class RequestMetricsFilter extends OncePerRequestFilter {

    private final MeterRegistry registry;

    RequestMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals("/v1/age");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Timer.Sample sample = Timer.start(registry);
        try {
            chain.doFilter(request, response);
        } finally {
            Object code = request.getAttribute(ProblemHandler.OUTCOME);
            String outcome = code != null ? code.toString()
                    : response.getStatus() < 400 ? "ok" : ErrorCode.forStatus(response.getStatus()).code();
            sample.stop(Timer.builder("age.requests").description("Latency of POST /v1/age, per outcome")
                    .tag("outcome", outcome).publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
                    .register(registry));
        }
    }
}
