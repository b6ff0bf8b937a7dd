package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The age check over real HTTP with the service's default model (the store's default bundle, as
 * {@code ./mvnw spring-boot:run} serves it) and its default path (MTCNN, mirror averaging), on real
 * UTKFace test photos of young children and of adults.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu", "age.models.watch.enabled=false"})
class AgeCheckEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    org.dldlage.app.AgeProperties properties;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /**
     * UTKFace test photos labelled age 2, each looked at: young children. The first nine such photos in
     * labels.csv order, less 2_0_0_20170104201100490, which shows an adult man (label noise).
     */
    private static final List<String> CHILDREN = List.of("2_0_0_20170104011011896", "2_0_0_20170109194104628",
            "2_0_0_20170110224316546", "2_0_2_20161219142335801", "2_0_2_20161219154627053", "2_0_2_20161219155636293",
            "2_0_2_20161219161726454", "2_0_2_20161219192150665");

    private static List<Path> children() {
        Path images = SharedData.utkfaceImages();
        return CHILDREN.stream().map(f -> images.resolve(f + ".jpg.chip.jpg")).toList();
    }

    /** The first five UTKFace test photos labelled 40–50 (all looked at: adults). */
    private static List<Path> adults() {
        return SharedData.utkfaceTest(40, 50, 5);
    }

    private JsonNode check(Path photo, String query) throws IOException {
        HttpResponse<String> r = http.upload("/v1/age?" + query, Files.readAllBytes(photo), "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("faces")).as(photo + ": " + r.body()).isNotEmpty();
        return body;
    }

    @Test
    void aYoungChildAtEighteenGetsFailOrReferNeverPass() throws IOException {
        for (Path child : children()) {
            for (String query : List.of("minimumAge=18", "minimumAge=18&buffer=0")) {
                JsonNode face = check(child, query).get("faces").get(0);
                assertThat(face.get("decision").asText()).as(child + " " + query + ": " + face).isIn("fail", "refer");
                assertThat(face.get("probabilityAtLeast").asDouble()).as(child.toString()).isLessThan(0.5);
            }
        }
    }

    @Test
    void anAdultWellOverTheThresholdPassesAndTheAnswerNamesTheRule() throws IOException {
        for (Path adult : adults()) {
            JsonNode body = check(adult, "minimumAge=18&buffer=6");
            JsonNode face = body.get("faces").get(0);
            assertThat(face.get("decision").asText()).as(adult + ": " + face.get("age")).isEqualTo("pass");
            assertThat(face.get("probabilityAtLeast").asDouble()).isGreaterThan(0.9);
            JsonNode rule = body.get("ageCheck");
            assertThat(rule.get("minimumAge").asDouble()).isEqualTo(18.0);
            assertThat(rule.get("rule").asText()).isEqualTo("estimate");
            assertThat(rule.get("buffer").asDouble()).isEqualTo(6.0);
            assertThat(rule.get("description").asText()).contains("fail when P(age ≥ 18) ≤ 0.05").contains("estimate ≥ 24");
        }
        // without a buffer the configured default applies, and the answer says which
        JsonNode rule = check(adults().get(0), "minimumAge=18").get("ageCheck");
        assertThat(rule.get("buffer").asDouble()).isEqualTo(properties.check().defaultBuffer());
    }

    @Test
    void withoutMinimumAgeThereIsNoDecision() throws IOException {
        JsonNode body = check(adults().get(0), "distribution=false");
        assertThat(body.has("ageCheck")).isFalse();
        assertThat(body.get("faces").get(0).has("decision")).isFalse();
        assertThat(body.get("faces").get(0).has("probabilityAtLeast")).isFalse();
    }

    @Test
    void aBatchWithOneGarbagePartAnswers200WithThatPartsProblemAndTheOthersAges() throws IOException {
        Path child = children().get(0);
        Path adult = adults().get(0);
        List<byte[]> parts = List.of(Files.readAllBytes(child), "not an image at all".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(adult));
        HttpResponse<String> r = http.uploadAll("/v1/age/batch?minimumAge=18&buffer=6&distribution=false", parts,
                List.of("child.jpg", "garbage.jpg", "adult.jpg"), "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(r.body()).get("results");
        assertThat(results).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
        }
        assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(1).get("filename").asText()).isEqualTo("garbage.jpg");
        assertThat(results.get(1).get("problem").get("code").asText()).isEqualTo("image-unreadable");
        assertThat(results.get(1).has("faces")).isFalse();
        JsonNode childFace = results.get(0).get("faces").get(0);
        JsonNode adultFace = results.get(2).get("faces").get(0);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(childFace.get("age").asDouble()).isLessThan(adultFace.get("age").asDouble());
        assertThat(childFace.get("decision").asText()).isIn("fail", "refer");
        assertThat(adultFace.get("decision").asText()).isEqualTo("pass");
        // the same photo alone gives the same answer
        double alone = check(adult, "minimumAge=18&buffer=6&distribution=false").get("faces").get(0).get("age").asDouble();
        assertThat(adultFace.get("age").asDouble()).isCloseTo(alone, org.assertj.core.api.Assertions.within(0.01));

        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("age_check_decisions_faces_total\\{decision=\"pass\",minimum_age=\"18\"[^}]*} [1-9]")
                .contains("age_errors_total{code=\"image-unreadable\"}");
    }
}
