package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dldlage.DldlAgeApplication;
import org.dldlage.inference.registry.ModelRuntime;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.net.AgeNet;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * An Error in a served model's forward pass (an OutOfMemoryError injected in front of the real
 * network, through a test-only loader) over real HTTP: the request is answered at once, the model
 * shows FAILED until its inference worker restarts, then READY and serving again.
 */
class WorkerFailureTest {

    @TempDir
    Path tmp;

    @Test
    void anErrorInAForwardPassFailsTheRequestAtOnceAndTheModelServesAgainAfterTheRestart() throws Exception {
        Path bundle = TestBundles.write(tmp.resolve("tiny-oom"), "TinyAgeNet", 64);
        AtomicBoolean armed = new AtomicBoolean();
        List<NDManager> managers = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DldlAgeApplication.class)
                .listeners((ApplicationListener<WebServerInitializedEvent>) e -> port.complete(e.getWebServer().getPort()))
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("gatedLoader", ModelRuntime.Loader.class,
                        () -> gated(armed, managers), bd -> bd.setPrimary(true)))
                .run("--server.port=0", "--age.device=cpu", "--age.model.path=" + bundle, "--age.detection.enabled=false",
                        "--age.batching.tune-batch-size=false", "--age.batching.request-timeout=20s",
                        "--age.batching.worker-restart-delay=3s");
        try {
            Http http = new Http(port.get(1, TimeUnit.SECONDS));
            byte[] face = SharedData.utkfaceCrops(1).get(0);
            assertThat(http.raw("/v1/age?align=none", face, "image/jpeg").statusCode()).as("warm").isEqualTo(200);

            armed.set(true);
            long t0 = System.nanoTime();
            HttpResponse<String> died = http.raw("/v1/age?align=none", face, "image/jpeg");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            AgeEndpointTest.assertProblem(died, 503, "model-failed");
            assertThat(ServiceTestSupport.json(died.body()).get("detail").asText())
                    .contains("inference worker of tiny-oom-v1 died (OutOfMemoryError: injected)", "restarts in 3000 ms");
            assertThat(died.headers().firstValue("Retry-After")).isPresent();
            assertThat(ms).as("answered at once, not at the 20 s deadline").isLessThan(5000);

            JsonNode failed = model(http);
            assertThat(failed.get("state").asText()).isEqualTo("FAILED");
            assertThat(failed.get("lastFailure").get("reason").asText()).contains("OutOfMemoryError: injected");
            HttpResponse<String> down = http.get("/actuator/health/readiness");
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(ServiceTestSupport.json(down.body()).get("components").get("model").get("details").get("state").asText())
                    .isEqualTo("FAILED");
            AgeEndpointTest.assertProblem(http.raw("/v1/age?align=none", face, "image/jpeg"), 503, "model-failed");

            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!model(http).get("state").asText().equals("READY") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            JsonNode restarted = model(http);
            assertThat(restarted.get("state").asText()).as("the worker restarted").isEqualTo("READY");
            assertThat(restarted.get("lastFailure").get("reason").asText()).as("the death stays on record")
                    .contains("OutOfMemoryError: injected");
            HttpResponse<String> up = http.get("/actuator/health/readiness");
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(http.raw("/v1/age?align=none", face, "image/jpeg").statusCode()).as("serves again").isEqualTo(200);
            assertThat(http.get("/actuator/prometheus").body()).contains(
                    "age_inference_worker_deaths_total{error=\"OutOfMemoryError\",model=\"tiny-oom\",restarted=\"true\"} 1.0");
        } finally {
            context.close();
            managers.forEach(NDManager::close); // AgeModel.of leaves its manager to the caller
        }
    }

    /** The only model of {@code GET /v1/models}. */
    private static JsonNode model(Http http) {
        return ServiceTestSupport.json(http.get("/v1/models").body()).get("models").get(0);
    }

    /** Loads the real network behind a gate that throws an OutOfMemoryError in the next forward pass once armed. */
    private static ModelRuntime.Loader gated(AtomicBoolean armed, List<NDManager> managers) {
        return (dir, device) -> {
            BundleManifest manifest = ModelBundles.readManifest(dir);
            NDManager manager = NDManager.newBaseManager(device);
            managers.add(manager);
            AgeNet block = ModelBundles.loadNetwork(dir, manifest, manager);
            // a parameter-free step at the end of the features: the forward pass throws while armed
            block.features().add(x -> {
                if (armed.getAndSet(false)) {
                    throw new OutOfMemoryError("injected");
                }
                return x;
            });
            return AgeModel.of(manifest, block, manager);
        };
    }
}
