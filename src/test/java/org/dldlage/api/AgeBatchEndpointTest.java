package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/age/batch} and the age-check options over real HTTP (random weights: the plumbing, not the ages). */
class AgeBatchEndpointTest extends ServiceTestSupport {

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("face" + i + ".jpg");
        }
        return names;
    }

    @Test
    void eachPhotoGetsItsOwnResultInOrderAndTheFacesShareMicroBatches() {
        List<byte[]> crops = SharedData.utkfaceCrops(4);
        HttpResponse<String> r = http.uploadAll("/v1/age/batch?align=none&distribution=false", crops, names(4), "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r.body());
        JsonNode results = body.get("results");
        assertThat(results).hasSize(4);
        int largestBatch = 0;
        for (int i = 0; i < 4; i++) {
            JsonNode item = results.get(i);
            assertThat(item.get("index").asInt()).isEqualTo(i);
            assertThat(item.get("filename").asText()).isEqualTo("face" + i + ".jpg");
            assertThat(item.get("status").asInt()).isEqualTo(200);
            assertThat(item.has("problem")).isFalse();
            double alone = json(http.upload("/v1/age?align=none&distribution=false", crops.get(i), "image/jpeg").body())
                    .get("faces").get(0).get("age").asDouble();
            assertThat(item.get("faces").get(0).get("age").asDouble()).as("photo %d answers as it does alone", i)
                    .isCloseTo(alone, within(0.01));
            largestBatch = Math.max(largestBatch, item.get("timings").get("batchSize").asInt());
        }
        assertThat(largestBatch).as("the four faces were queued together").isGreaterThanOrEqualTo(2);
        assertThat(body.get("model").get("architecture").asText()).isEqualTo("TinyAgeNet");
        assertThat(body.get("totalMs").asDouble()).isPositive();
        assertThat(body.has("ageCheck")).isFalse();
    }

    @Test
    void anEmptyPartGetsItsProblemInTheListAndTheOthersStillAnswer() {
        List<byte[]> parts = List.of(SharedData.utkfaceCrops(1).get(0), new byte[0]);
        HttpResponse<String> r = http.uploadAll("/v1/age/batch?align=none&minimumAge=21&buffer=2", parts, names(2), "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode results = json(r.body()).get("results");
        assertThat(results.get(0).get("faces").get(0).get("decision").asText()).isIn("pass", "refer", "fail");
        assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(1).get("problem").get("code").asText()).isEqualTo("image-missing");
        assertThat(results.get(1).get("problem").get("instance").asText()).isEqualTo("/v1/age/batch");
        JsonNode check = json(r.body()).get("ageCheck");
        assertThat(check.get("minimumAge").asDouble()).isEqualTo(21.0);
        assertThat(check.get("buffer").asDouble()).isEqualTo(2.0);
    }

    @Test
    void aBatchWithoutImagePartsIs400AndOneOverTheLimitIs413() {
        HttpResponse<String> none = http.uploadAll("/v1/age/batch?align=none", List.of(), List.of(), "image/jpeg");
        assertThat(none.statusCode()).as(none.body()).isEqualTo(400);
        assertThat(json(none.body()).get("code").asText()).isEqualTo("image-missing");
        List<byte[]> seventeen = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            seventeen.add(new byte[] {1, 2, 3});
        }
        HttpResponse<String> tooMany = http.uploadAll("/v1/age/batch?align=none", seventeen, names(17), "image/jpeg");
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(413);
        assertThat(json(tooMany.body()).get("code").asText()).isEqualTo("too-many-images");
        assertThat(json(tooMany.body()).get("detail").asText()).contains("17").contains("16");
    }

    @Test
    void minimumAgeGivesEachFaceItsProbabilityAndDecision() {
        byte[] face = SharedData.utkfaceCrops(1).get(0);
        JsonNode body = json(http.upload("/v1/age?align=none&minimumAge=18&buffer=0", face, "image/jpeg").body());
        JsonNode f = body.get("faces").get(0);
        assertThat(f.get("probabilityAtLeast").asDouble() + f.get("probabilityUnder18").asDouble()).isCloseTo(1.0, within(0.002));
        String expected = f.get("probabilityAtLeast").asDouble() <= 0.05 ? "fail" : f.get("age").asDouble() >= 18 ? "pass" : "refer";
        assertThat(f.get("decision").asText()).isEqualTo(expected);
        assertThat(body.get("ageCheck").get("rule").asText()).isEqualTo("estimate");
        assertThat(body.get("ageCheck").get("description").asText()).contains("estimate ≥ 18 (T 18 + buffer 0)");
    }

    @Test
    void badCheckOptionsAre422BeforeTheUploadIsUsed() {
        byte[] face = SharedData.utkfaceCrops(1).get(0);
        for (String q : List.of("minimumAge=0", "minimumAge=101", "minimumAge=abc", "buffer=3", "minimumAge=18&buffer=-1",
                "minimumAge=18&buffer=31", "minimumAge=18&buffer=x")) {
            HttpResponse<String> single = http.upload("/v1/age?align=none&" + q, face, "image/jpeg");
            HttpResponse<String> batch = http.uploadAll("/v1/age/batch?align=none&" + q, List.of(face), names(1), "image/jpeg");
            for (HttpResponse<String> r : List.of(single, batch)) {
                assertThat(r.statusCode()).as(q + ": " + r.body()).isEqualTo(422);
                assertThat(json(r.body()).get("code").asText()).isEqualTo("invalid-parameter");
            }
        }
    }
}
