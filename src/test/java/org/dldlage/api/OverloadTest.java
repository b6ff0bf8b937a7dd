package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A one-face queue in front of a slower network (ThinAgeNet at 128) under a burst of requests. */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu",
    "age.batching.queue-capacity=1",
    "age.batching.max-batch-size=1",
    "age.batching.max-delay=0ms",
    "age.batching.retry-after=2s",
    "age.detection.concurrency=16"
})
class OverloadTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        registry.add("age.model.path", () -> TestBundles.temporary("ThinAgeNet", 128).toString());
    }

    @Test
    void aBurstOnATinyQueueGetsSome429sWithRetryAfterAndNo5xx() throws Exception {
        Http http = new Http(port);
        List<byte[]> faces = SharedData.utkfaceCrops(48);
        int ok = 0;
        int overloaded = 0;
        // each answer within 60 s: nothing left hanging
        for (HttpResponse<String> r : Http.burst(faces, face -> http.raw("/v1/age?align=none", face, "image/jpeg"))) {
            assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
            if (r.statusCode() == 429) {
                overloaded++;
                AgeEndpointTest.assertProblem(r, 429, "overloaded");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
            } else {
                ok++;
            }
        }
        assertThat(overloaded).as("the queue overflowed").isPositive();
        assertThat(ok).as("accepted work was answered").isPositive();
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("age_rejections_total\\{model=\"thin-test\",reason=\"queue_full\"} " + overloaded + "(\\.0)?\\n");
    }

}
