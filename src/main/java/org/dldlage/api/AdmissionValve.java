package org.dldlage.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.dldlage.inference.Admission;

/**
 * Admission for {@code POST /v1/age...} in Tomcat's engine pipeline, before Spring, the multipart parser or
 * the body are touched: a request either gets a place inside ({@link Admission}, perhaps after waiting in
 * the backlog) or a 429 whose body, headers and length are prepared once; the unread body is skipped by
 * Tomcat to keep the connection. The request's arrival, Tomcat's own start time for it (when it began
 * reading the request line), is left in {@link #ARRIVAL} for the deadline.
 */
final class AdmissionValve extends ValveBase {

    /** Request attribute: {@link System#nanoTime()} when the request arrived. */
    static final String ARRIVAL = AdmissionValve.class.getName() + ".arrival";

    private final Admission admission;
    private final Counter refused;
    private final Timer refusals;
    private final String retryAfter;
    private final byte[] body;

    /**
     * @param refused {@code age.rejections{reason=in_flight}}
     * @param refusals {@code age.requests{outcome=overloaded,model=none}}: the request latency histogram counts them too
     */
    AdmissionValve(Admission admission, Counter refused, Timer refusals, String retryAfter, int maxInFlight) {
        super(true);
        this.admission = admission;
        this.refused = refused;
        this.refusals = refusals;
        this.retryAfter = retryAfter;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ErrorCode.OVERLOADED.type().toString());
        problem.put("title", ErrorCode.OVERLOADED.title());
        problem.put("status", 429);
        problem.put("detail", "more requests than can be answered within their deadline (at most age.limits.max-in-flight="
                + maxInFlight + " inside, fewer while answers are slow); retry after " + retryAfter + " s");
        problem.put("code", ErrorCode.OVERLOADED.code());
        try {
            this.body = new ObjectMapper().writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the request arrived; now when it did not pass this valve (another server, a test without one). */
    static long arrival(HttpServletRequest request) {
        return request.getAttribute(ARRIVAL) instanceof Long t ? t : System.nanoTime();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String uri = request.getRequestURI();
        if (!"POST".equals(request.getMethod()) || !(uri.equals("/v1/age") || uri.startsWith("/v1/age/"))) {
            getNext().invoke(request, response);
            return;
        }
        long arrival = request.getCoyoteRequest().getStartTimeNanos();
        if (arrival <= 0) {
            arrival = System.nanoTime();
        }
        Admission.Permit permit = admission.admit(arrival);
        if (permit == null) {
            refuse(response);
            refusals.record(System.nanoTime() - arrival, java.util.concurrent.TimeUnit.NANOSECONDS);
            return;
        }
        request.setAttribute(ARRIVAL, arrival);
        int status = 500;
        try {
            getNext().invoke(request, response);
            status = response.getStatus();
        } finally {
            if (status < 400) {
                permit.succeeded();
            } else if (status == 504 || status == 429) {
                permit.dropped(); // missed its deadline or found the inference queue full
            } else {
                permit.ignored();
            }
        }
    }

    private void refuse(Response response) throws IOException {
        refused.increment();
        response.setStatus(429);
        response.setHeader("Retry-After", retryAfter);
        response.setContentType("application/problem+json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer(); // sent now, before Tomcat skips the unread body (a client may wait to send it)
    }
}
