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

/**
 * Admission at the door: with a roomy inference queue but at most 2 requests inside, a burst gets
 * quick 429s with Retry-After for the excess instead of waiting, and every request is answered.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu",
    "age.limits.max-in-flight=2",
    "age.admission.backlog=0", // refused at the door at once, not after waiting
    "age.batching.queue-capacity=256",
    "age.batching.max-batch-size=1",
    "age.batching.retry-after=3s"
})
class InFlightLimitTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        registry.add("age.model.path", () -> TestBundles.temporary("ThinAgeNet", 128).toString());
    }

    @Test
    void aBurstBeyondTheInFlightLimitGets429sAtOnceAndNoRequestIsLost() throws Exception {
        Http http = new Http(port);
        List<byte[]> faces = SharedData.utkfaceCrops(24);
        int ok = 0;
        int overloaded = 0;
        // each answer within 60 s: nothing hangs
        for (HttpResponse<String> r : Http.burst(faces, face -> http.raw("/v1/age?align=none", face, "image/jpeg"))) {
            assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
            if (r.statusCode() == 429) {
                overloaded++;
                assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
                assertThat(r.body()).contains("\"code\":\"overloaded\"").contains("max-in-flight");
            } else {
                ok++;
            }
        }
        assertThat(ok).as("some requests get through").isPositive();
        assertThat(overloaded).as("the excess is refused").isPositive();
        assertThat(ok + overloaded).isEqualTo(faces.size());
        assertThat(http.get("/actuator/prometheus").body()).containsPattern("age_rejections_total\\{[^}]*reason=\"in_flight\"");
    }
}
