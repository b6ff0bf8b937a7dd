package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.dldlage.inference.registry.ModelRegistry;
import org.dldlage.inference.registry.ModelRuntime;
import org.dldlage.model.net.Architecture;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Several bundles of one model store served at once, chosen per request, and swapped while serving:
 * real (randomly initialised, differently seeded) TinyAgeNet bundles, real HTTP, the store scanned
 * every 100 ms, and the admin reload endpoint switched on.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu",
    "age.detection.enabled=false",
    "age.detection.default-align=none",
    "age.models.default=tiny-a",
    "age.models.watch.interval=100ms",
    "age.batching.request-timeout=20s",
    "management.endpoint.models.access=unrestricted",
    "management.endpoints.web.exposure.include=health,prometheus,models"
})
class MultiModelTest {

    private static Path store;

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    Http http;
    byte[] face;

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        registry.add("age.models.store", () -> store().toString());
    }

    /** tiny-a (default), tiny-b, tiny-swap and tiny-c with different seeds; a non-bundle folder; a broken manifest. */
    static synchronized Path store() {
        if (store == null) {
            try {
                store = Files.createTempDirectory("dldl-age-store");
                TestBundles.write(store.resolve("tiny-a"), Architecture.TINY, 64, 1);
                TestBundles.write(store.resolve("tiny-b"), Architecture.TINY, 64, 2);
                TestBundles.write(store.resolve("tiny-swap"), Architecture.TINY, 64, 4);
                TestBundles.write(store.resolve("tiny-c"), Architecture.TINY, 64, 6);
                Files.createDirectories(store.resolve("mtcnn"));
                Files.writeString(store.resolve("mtcnn").resolve("pnet.tflite"), "not a bundle");
                Files.createDirectories(store.resolve("broken"));
                Files.writeString(store.resolve("broken").resolve("model.json"), "{ not json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return store;
    }

    @BeforeEach
    void client() throws InterruptedException {
        http = new Http(port);
        face = SharedData.utkfaceCrops(1).get(0);
        // the non-default models load (and measure their batch sizes) in the background after start-up
        for (String name : List.of("tiny-a", "tiny-b", "tiny-swap", "tiny-c")) {
            awaitModel(name, m -> m.get("state").asText().equals("READY"), 60);
        }
    }

    @Test
    void twoModelsAreServedSideBySideChosenPerRequest() {
        JsonNode byDefault = estimate(null);
        JsonNode a = estimate("tiny-a");
        JsonNode b = estimate("tiny-b");
        assertThat(byDefault.get("model").get("name").asText()).isEqualTo("tiny-a");
        assertThat(a.get("model").get("name").asText()).isEqualTo("tiny-a");
        assertThat(b.get("model").get("name").asText()).isEqualTo("tiny-b");
        assertThat(b.get("model").get("version").asInt()).isPositive();
        assertThat(same(distribution(byDefault), distribution(a))).as("no model= is the default model").isTrue();
        assertThat(same(distribution(b), distribution(a))).as("another model, another answer").isFalse();

        HttpResponse<String> unknown = http.raw("/v1/age?model=tiny-z", face, "image/jpeg");
        AgeEndpointTest.assertProblem(unknown, 404, "unknown-model");
        assertThat(json(unknown.body()).get("models").toString()).contains("\"tiny-a\"", "\"tiny-b\"").doesNotContain("mtcnn");

        HttpResponse<String> ready = http.get("/actuator/health/readiness");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready.body()).get("components").get("model").get("details").get("default").asText()).isEqualTo("tiny-a");
    }

    @Test
    void modelsListsEveryBundleWithStateManifestAndMemory() throws IOException {
        JsonNode list = json(http.get("/v1/models").body());
        assertThat(list.get("defaultModel").asText()).isEqualTo("tiny-a");
        JsonNode a = model(list, "tiny-a");
        assertThat(a.get("default").asBoolean()).isTrue();
        assertThat(a.get("state").asText()).isEqualTo("READY");
        assertThat(a.get("device").asText()).isEqualTo("cpu");
        assertThat(a.get("manifest").get("architecture").asText()).isEqualTo("TinyAgeNet");
        long file = Files.size(store.resolve("tiny-a").resolve("age.params"));
        long parameters = a.get("memory").get("parameterBytes").asLong();
        assertThat(parameters).as("float32 tensors ≈ the parameter file, which adds names and shapes")
                .isBetween((long) (file * 0.9), file);
        assertThat(a.get("memory").get("residentBytes").isNumber()).as("measured on Linux").isTrue();
        assertThat(model(list, "tiny-b").get("default").asBoolean()).isFalse();
        assertThat(list.get("models").findValuesAsText("name")).as("a folder without model.json is no bundle")
                .doesNotContain("mtcnn");
        JsonNode broken = model(list, "broken");
        assertThat(broken.get("state").asText()).isEqualTo("FAILED");
        assertThat(broken.get("lastFailure").get("reason").asText()).contains("not valid JSON");
        AgeEndpointTest.assertProblem(http.raw("/v1/age?model=broken", face, "image/jpeg"), 503, "model-failed");
    }

    @Test
    void aNewVersionDroppedInIsSwappedInUnderLoadWithoutAFailedRequest() throws Exception {
        List<Double> v1 = distribution(estimate("tiny-swap"));
        ModelRuntime old = registry.runtime("tiny-swap");
        int oldVersion = old.version();
        Map<Integer, List<Double>> answers = new ConcurrentHashMap<>();
        List<String> failures = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> streams = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                streams.add(clients.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        HttpResponse<String> r = http.raw("/v1/age?model=tiny-swap", face, "image/jpeg");
                        n++;
                        if (r.statusCode() != 200) {
                            synchronized (failures) {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                            continue;
                        }
                        JsonNode body = json(r.body());
                        List<Double> p = distribution(body);
                        List<Double> seen = answers.putIfAbsent(body.get("model").get("version").asInt(), p);
                        if (seen != null && !same(seen, p)) {
                            synchronized (failures) {
                                failures.add("version " + body.get("model").get("version") + " answered differently");
                            }
                        }
                    }
                    return n;
                }));
            }
            Thread.sleep(300);
            TestBundles.write(store.resolve("tiny-swap"), Architecture.TINY, 64, 5); // new parameters, same folder
            awaitModel("tiny-swap", m -> m.get("version").asInt() > oldVersion, 30);
            Thread.sleep(500); // keep streaming on the new version
        } finally {
            stop.set(true);
            int requests = 0;
            for (Future<Integer> s : streams) {
                requests += s.get(60, TimeUnit.SECONDS);
            }
            clients.shutdownNow();
            System.out.println("MultiModelTest: " + requests + " requests during the swap, versions " + answers.keySet());
        }
        assertThat(failures).as("no request failed because of the swap").isEmpty();
        assertThat(answers).as("requests were answered by both versions").containsKeys(oldVersion, oldVersion + 1);
        assertThat(same(answers.get(oldVersion), v1)).as("the old version answers as before").isTrue();
        assertThat(same(answers.get(oldVersion + 1), v1)).as("the new parameters answer").isFalse();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!old.closed() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(old.closed()).as("the old version drained and was closed").isTrue();
        assertThat(old.batcher().accepting()).isFalse();
        assertThat(http.get("/actuator/prometheus").body())
                .contains("age_model_info{architecture=\"TinyAgeNet\",device=\"cpu\",name=\"tiny-swap\",version=\"" + (oldVersion + 1))
                .doesNotContain("name=\"tiny-swap\",version=\"" + oldVersion + "\"");
    }

    @Test
    void aCorruptBundleIsReportedAndTheOldVersionKeepsServing() throws Exception {
        List<Double> before = distribution(estimate("tiny-c"));
        int version = registry.runtime("tiny-c").version();
        Path params = store.resolve("tiny-c").resolve("age.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x5a; // same size, another checksum: a bad copy
        Files.write(params, bytes);
        JsonNode c = awaitModel("tiny-c", m -> m.hasNonNull("lastFailure"), 30);
        assertThat(c.get("state").asText()).isEqualTo("READY");
        assertThat(c.get("version").asInt()).isEqualTo(version);
        assertThat(c.get("lastFailure").get("reason").asText()).contains("SHA-256");
        JsonNode after = estimate("tiny-c");
        assertThat(after.get("model").get("version").asInt()).isEqualTo(version);
        assertThat(same(distribution(after), before)).as("the old version still answers").isTrue();
        assertThat(http.get("/actuator/prometheus").body()).containsPattern("age_model_loads_total\\{model=\"tiny-c\",outcome=\"failed\"} [1-9]");

        // a new bundle dropped in broken: listed as FAILED, nothing else disturbed
        Path fresh = Files.createTempDirectory("dldl-age-fresh").resolve("tiny-new");
        TestBundles.write(fresh, Architecture.TINY, 64, 7);
        Path truncated = fresh.resolve("age.params");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 1000));
        Files.move(fresh, store.resolve("tiny-new"));
        JsonNode n = awaitModel("tiny-new", m -> !m.get("state").asText().equals("LOADING"), 30);
        assertThat(n.get("state").asText()).isEqualTo("FAILED");
        assertThat(n.get("lastFailure").get("reason").asText()).contains("1000 bytes");
        AgeEndpointTest.assertProblem(http.raw("/v1/age?model=tiny-new", face, "image/jpeg"), 503, "model-failed");
        assertThat(estimate(null).get("model").get("name").asText()).isEqualTo("tiny-a");
    }

    @Test
    void theAdminEndpointReloadsAModelOnDemand() {
        List<Double> before = distribution(estimate("tiny-b"));
        int version = registry.runtime("tiny-b").version();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/models"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"tiny-b\"}"))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode outcome = json(r.body()).get("outcomes").get(0);
        assertThat(outcome.get("name").asText()).isEqualTo("tiny-b");
        assertThat(outcome.get("outcome").asText()).isEqualTo("loaded");
        assertThat(outcome.get("version").asInt()).isEqualTo(version + 1);
        JsonNode after = estimate("tiny-b");
        assertThat(after.get("model").get("version").asInt()).isEqualTo(version + 1);
        assertThat(same(distribution(after), before)).as("same files, same answers").isTrue();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/models"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"nope\"}"))
                .build());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    private JsonNode estimate(String model) {
        HttpResponse<String> r = http.raw(model == null ? "/v1/age" : "/v1/age?model=" + model, face, "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    private JsonNode awaitModel(String name, Predicate<JsonNode> condition, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode m = null;
        while (System.nanoTime() < until) {
            m = model(json(http.get("/v1/models").body()), name);
            if (m != null && condition.test(m)) {
                return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("model " + name + " did not reach the expected state in " + seconds + " s: " + m);
    }

    private static JsonNode model(JsonNode list, String name) {
        for (JsonNode m : list.get("models")) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static List<Double> distribution(JsonNode answer) {
        List<Double> p = new ArrayList<>();
        answer.get("faces").get(0).get("distribution").get("probabilities").forEach(v -> p.add(v.asDouble()));
        return p;
    }

    /** Equal up to float noise (batches of different sizes may round differently). */
    private static boolean same(List<Double> p, List<Double> q) {
        if (p.size() != q.size()) {
            return false;
        }
        for (int i = 0; i < p.size(); i++) {
            if (Math.abs(p.get(i) - q.get(i)) > 1e-5) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode json(String body) {
        return ServiceTestSupport.json(body);
    }
}
