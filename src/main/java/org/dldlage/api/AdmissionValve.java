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
 * the backlog) or a 429 (a 503 {@code draining} once the service shuts down) whose body, headers and length
 * are prepared once; the unread body is skipped by Tomcat to keep the connection. The request's arrival,
 * Tomcat's own start time for it (when it began reading the request line), is left in {@link #ARRIVAL} for
 * the deadline.
 */
final class AdmissionValve extends ValveBase {

    /** Request attribute: {@link System#nanoTime()} when the request arrived. */
    static final String ARRIVAL = AdmissionValve.class.getName() + ".arrival";

    private final Admission admission;
    private final Refusal overloaded;
    private final Refusal draining;
    private final String retryAfter;

    /** A refusal's prepared answer and its meters: {@code age.rejections{reason}} and {@code age.requests{outcome}}. */
    record Refusal(ErrorCode code, byte[] body, Counter counted, Timer timed) {
        Refusal(ErrorCode code, String detail, Counter counted, Timer timed) {
            this(code, problem(code, detail), counted, timed);
        }
    }

    /**
     * @param overloadedCount {@code age.rejections{reason=in_flight,model=none}}
     * @param overloadedTimer {@code age.requests{outcome=overloaded,model=none}}: the latency histogram counts them too
     * @param drainingCount {@code age.rejections{reason=draining,model=none}}
     * @param drainingTimer {@code age.requests{outcome=draining,model=none}}
     */
    AdmissionValve(Admission admission, Counter overloadedCount, Timer overloadedTimer, Counter drainingCount,
            Timer drainingTimer, String retryAfter, int maxInFlight) {
        super(true);
        this.admission = admission;
        this.retryAfter = retryAfter;
        this.overloaded = new Refusal(ErrorCode.OVERLOADED, "more requests than can be answered within their deadline (at most "
                + "age.limits.max-in-flight=" + maxInFlight + " inside, fewer while answers are slow); retry after " + retryAfter
                + " s", overloadedCount, overloadedTimer);
        this.draining = new Refusal(ErrorCode.DRAINING, "the service is shutting down and takes no new work",
                drainingCount, drainingTimer);
    }

    private static byte[] problem(ErrorCode code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", code.type().toString());
        problem.put("title", code.title());
        problem.put("status", code.status().value());
        problem.put("detail", detail);
        problem.put("code", code.code());
        try {
            return new ObjectMapper().writeValueAsBytes(problem);
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
            Refusal refusal = admission.draining() ? draining : overloaded;
            refuse(refusal, response);
            refusal.timed().record(System.nanoTime() - arrival, java.util.concurrent.TimeUnit.NANOSECONDS);
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

    private void refuse(Refusal refusal, Response response) throws IOException {
        refusal.counted().increment();
        response.setStatus(refusal.code().status().value());
        response.setHeader("Retry-After", retryAfter); // draining: another replica, or this one restarted, answers
        response.setContentType("application/problem+json");
        response.setContentLength(refusal.body().length);
        response.getOutputStream().write(refusal.body());
        response.flushBuffer(); // sent now, before Tomcat skips the unread body (a client may wait to send it)
    }
}
