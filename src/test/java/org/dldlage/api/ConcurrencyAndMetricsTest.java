package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.Test;

/** Concurrent load through the micro-batcher, and what the actuator exposes about it. */
class ConcurrencyAndMetricsTest extends ServiceTestSupport {

    @Test
    void sixtyFourConcurrentRequestsAreAllAnsweredAndBatchedTogether() throws Exception {
        List<byte[]> faces = SharedData.utkfaceCrops(64);
        double[] before = batchSizeCountAndSum();
        int largest = 0;
        for (HttpResponse<String> r : Http.burst(faces,
                face -> http.upload("/v1/age?align=none&distribution=false", face, "image/jpeg"))) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json(r.body());
            assertThat(body.get("faces")).hasSize(1);
            largest = Math.max(largest, body.get("timings").get("batchSize").asInt());
        }
        assertThat(largest).as("some request ran in a batch of several").isGreaterThan(1);
        double[] after = batchSizeCountAndSum();
        double batches = after[0] - before[0];
        double faceCount = after[1] - before[1];
        assertThat(faceCount).as("every face went through a forward pass").isEqualTo(64);
        assertThat(batches).as("the batch-size metric shows batches larger than 1").isLessThan(64);
    }

    @Test
    void prometheusExposesThePipelineMeters() {
        http.upload("/v1/age?align=none", "junk".getBytes(), "image/jpeg"); // one failure, counted by code
        http.upload("/v1/age?align=none", SharedData.utkfaceCrops(1).get(0), "image/jpeg");
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains("age_requests_seconds_bucket{model=\"tiny-test\",outcome=\"ok\",le=")
                .containsPattern("http_server_requests_seconds\\{[^}]*outcome=\"SUCCESS\"[^}]*uri=\"/v1/age\",quantile=\"0.99\"}")
                .contains("age_requests_seconds_count{model=\"tiny-test\",outcome=\"image-unreadable\"}")
                .contains("age_errors_total{code=\"image-unreadable\"}")
                .contains("age_decode_seconds_count")
                .contains("age_align_seconds_count")
                .contains("age_detect_seconds")
                .contains("age_queue_wait_seconds_count")
                .contains("age_inference_seconds_count")
                .contains("age_batch_size_faces_count")
                .contains("age_batch_fill_ratio_count")
                .contains("age_queue_depth_faces")
                .contains("age_queue_remaining_faces")
                .contains("age_faces_count")
                .containsPattern("age_queue_depth_faces\\{model=\"tiny-test\"} [0-9]")
                .containsPattern("age_inference_seconds_count\\{model=\"tiny-test\"} [1-9]")
                .containsPattern("age_model_parameter_bytes\\{model=\"tiny-test\"} [1-9]")
                .contains("age_model_loads_total{model=\"tiny-test\",outcome=\"ok\"} 1.0")
                .containsPattern("age_model_info\\{architecture=\"TinyAgeNet\",device=\"cpu\",name=\"tiny-test\",version=\"1\"} 1");
    }

    @Test
    void theCountersAlertsReadExistFromStartUpForEveryCodeAndReason() {
        // registered at zero when the service starts (the context is shared with other test classes, so a series
        // may have moved since): every error code and every rejection reason of the served model has its series
        String metrics = http.get("/actuator/prometheus").body();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(metrics).containsPattern("(?m)^age_errors_total\\{code=\"" + code.code() + "\"} [0-9]");
        }
        for (org.dldlage.inference.Rejection reason : org.dldlage.inference.Rejection.values()) {
            assertThat(metrics).containsPattern("(?m)^age_rejections_total\\{model=\"tiny-test\",reason=\"" + reason.tag() + "\"} [0-9]");
        }
        assertThat(metrics).containsPattern("(?m)^age_rejections_total\\{model=\"none\",reason=\"in_flight\"} [0-9]");
        assertThat(Pattern.compile("(?m)^age_errors_total\\{").matcher(metrics).results().count())
                .as("one series per error code").isEqualTo(ErrorCode.values().length);
    }

    @Test
    void theActuatorExposesHealthProbesInfoAndPrometheusOnly() {
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = http.get("/actuator/health/readiness");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode r = json(ready.body());
        assertThat(r.get("status").asText()).isEqualTo("UP");
        assertThat(r.get("components").get("model").get("details").get("state").asText()).isEqualTo("READY");
        assertThat(http.get("/actuator/info").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        for (String hidden : new String[] {"models", "env", "beans", "configprops", "metrics", "heapdump", "loggers"}) {
            assertThat(http.get("/actuator/" + hidden).statusCode()).as(hidden).isEqualTo(404);
        }
    }

    private double[] batchSizeCountAndSum() {
        String metrics = http.get("/actuator/prometheus").body();
        return new double[] {value(metrics, "age_batch_size_faces_count"), value(metrics, "age_batch_size_faces_sum")};
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
