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
 * A batch under the existing limits: one slot of the in-flight limit for the whole request, one
 * queue place per face, and the configured most parts.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu",
    "age.limits.max-in-flight=1",
    "age.limits.max-batch-images=8",
    "age.batching.queue-capacity=2",
    "age.batching.max-batch-size=1",
    "age.batching.tune-batch-size=false",
    "age.batching.retry-after=2s"
})
class BatchLimitsTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        registry.add("age.model.path", () -> TestBundles.temporary("TinyAgeNet", 64).toString());
    }

    private static List<String> names(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "f" + i).toList();
    }

    @Test
    void aBatchTakesOneInFlightSlotSoTwoPhotosPassALimitOfOne() {
        HttpResponse<String> r = new Http(port).uploadAll("/v1/age/batch?align=none", SharedData.utkfaceCrops(2), names(2),
                "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ServiceTestSupport.json(r.body()).get("results")).hasSize(2);
    }

    @Test
    void eachFaceTakesAQueuePlaceSoMoreFacesThanTheQueueHoldsAre429() {
        // the worker runs one face at a time: at most 1 + 2 of the 8 can be inside when they are queued together
        HttpResponse<String> r = new Http(port).uploadAll("/v1/age/batch?align=none", SharedData.utkfaceCrops(8), names(8),
                "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(ServiceTestSupport.json(r.body()).get("code").asText()).isEqualTo("overloaded");
    }

    @Test
    void morePartsThanTheConfiguredMostAre413() {
        HttpResponse<String> r = new Http(port).uploadAll("/v1/age/batch?align=none", SharedData.utkfaceCrops(9), names(9),
                "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(ServiceTestSupport.json(r.body()).get("detail").asText()).contains("limit of 8");
    }
}
