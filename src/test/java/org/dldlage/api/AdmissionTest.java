package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Admission at the door ({@link AdmissionValve}) with one place inside and no backlog: a burst far over the
 * limit still gets answers through and the rest is refused with Retry-After; a refusal comes before the
 * body is sent; and the deadline counts from the request's arrival, so a request whose body arrives late is
 * dropped before it is decoded.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu",
    "age.limits.max-in-flight=1",
    "age.admission.backlog=0",
    "age.admission.target-latency=200ms",
    "age.batching.request-timeout=1s",
    "age.batching.retry-after=3s",
    "age.batching.tune-batch-size=false" // the batch size does not matter here; tuning ThinAgeNet 128 took minutes on a busy machine
})
class AdmissionTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        registry.add("age.model.path", () -> TestBundles.temporary("ThinAgeNet", 128).toString());
    }

    @Test
    void aBurstFarOverTheLimitGetsSomeAnswersAndRefusalsWithRetryAfter() throws Exception {
        Http http = new Http(port);
        List<byte[]> faces = SharedData.utkfaceCrops(48);
        double refusedBefore = metric(http, "age_rejections_total\\{model=\"none\",reason=\"in_flight\"}");
        double countedBefore = metric(http, "age_requests_seconds_count\\{model=\"none\",outcome=\"overloaded\"}");
        int ok = 0;
        int refused = 0;
        for (HttpResponse<String> r : Http.burst(faces, face -> http.raw("/v1/age?align=none", face, "image/jpeg"))) {
            assertThat(r.statusCode()).as("admitted requests finish in time: %s", r.body()).isIn(200, 429);
            if (r.statusCode() == 429) {
                refused++;
                AgeEndpointTest.assertProblem(r, 429, "overloaded");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
                assertThat(r.body()).contains("max-in-flight=1");
            } else {
                ok++;
                assertThat(r.body()).contains("\"age\"");
            }
        }
        assertThat(ok).as("a burst 48× the limit still gets answers through").isPositive();
        assertThat(refused).as("the rest is refused").isPositive();
        assertThat(ok + refused).isEqualTo(faces.size());
        assertThat(metric(http, "age_rejections_total\\{model=\"none\",reason=\"in_flight\"}") - refusedBefore).isEqualTo(refused);
        assertThat(metric(http, "age_requests_seconds_count\\{model=\"none\",outcome=\"overloaded\"}") - countedBefore)
                .as("the request latency histogram counts them too").isEqualTo(refused);
    }

    @Test
    void aRefusalComesBeforeTheBodyAndTheDeadlineCountsFromArrival() throws Exception {
        Http http = new Http(port);
        byte[] face = SharedData.utkfaceCrops(1).get(0);
        double decodedBefore = metric(http, "age_decode_seconds_count");
        try (Socket holder = new Socket("127.0.0.1", port)) {
            holder.setSoTimeout(30_000);
            // the one place inside, taken by a request whose body has not arrived yet
            OutputStream out = holder.getOutputStream();
            out.write(headers(face.length));
            out.write(face, 0, 16);
            out.flush();
            long arrived = System.nanoTime();
            awaitMetric(http, "age_admission_admitted_requests", 1);

            try (Socket late = new Socket("127.0.0.1", port)) {
                late.setSoTimeout(30_000);
                late.getOutputStream().write(headers(100_000)); // headers only: its body is never sent
                late.getOutputStream().flush();
                String answer = read(late);
                assertThat(answer).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After: 3")
                        .contains("\"code\":\"overloaded\"");
            }

            // the rest of the body after the deadline (1 s from arrival): dropped before decoding
            Thread.sleep(Math.max(0, 1500 - (System.nanoTime() - arrived) / 1_000_000));
            out.write(face, 16, face.length - 16);
            out.flush();
            String answer = read(holder);
            assertThat(answer).startsWith("HTTP/1.1 504").contains("\"code\":\"deadline-exceeded\"");
        }
        assertThat(metric(http, "age_decode_seconds_count")).as("nothing was decoded").isEqualTo(decodedBefore);
        // the place is free again
        assertThat(http.raw("/v1/age?align=none", face, "image/jpeg").statusCode()).isEqualTo(200);
    }

    private static byte[] headers(int contentLength) {
        return ("POST /v1/age?align=none HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: "
                + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Status line, headers and the body (by Content-Length) of one HTTP/1.1 answer. */
    private static String read(Socket socket) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder s = new StringBuilder();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            s.append(line).append('\n');
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        int n = 0;
        while (n < length) {
            int r = in.read(body, n, length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return s.append('\n').append(body, 0, n).toString();
    }

    private static double metric(Http http, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(http.get("/actuator/prometheus").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void awaitMetric(Http http, String series, double value) throws InterruptedException {
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double v = metric(http, series);
            if (v == value) {
                return;
            }
            seen.add(v);
            Thread.sleep(25);
        }
        throw new AssertionError(series + " never reached " + value + ": " + Arrays.toString(seen.toArray()));
    }
}
