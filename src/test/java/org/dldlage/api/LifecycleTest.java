package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dldlage.DldlAgeApplication;
import org.dldlage.inference.Admission;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.registry.ModelRegistry;
import org.dldlage.inference.registry.ModelRuntime;
import org.dldlage.model.AgeModel;
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

/** Start-up with a slow model loader (readiness DOWN, then UP) and a graceful shutdown under load. */
class LifecycleTest {

    @TempDir
    Path tmp;

    @Test
    void readinessIsDownWhileTheModelLoadsAndUpAfterItsWarmUp() throws Exception {
        Path bundle = TestBundles.write(tmp.resolve("tiny-slow"), "TinyAgeNet", 64);
        CountDownLatch release = new CountDownLatch(1);
        ModelRuntime.Loader slow = (dir, device) -> {
            try {
                release.await(60, TimeUnit.SECONDS); // a slow disk or a big model
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return AgeModel.load(dir, device);
        };
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(
                () -> app(bundle, port).initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("slowLoader",
                        ModelRuntime.Loader.class, () -> slow, bd -> bd.setPrimary(true))).run(args(bundle)));
        ConfigurableApplicationContext context = null;
        try {
            Http http = new Http(port.get(60, TimeUnit.SECONDS));
            HttpResponse<String> loading = http.get("/actuator/health/readiness");
            assertThat(loading.statusCode()).as(loading.body()).isEqualTo(503);
            JsonNode model = ServiceTestSupport.json(loading.body()).get("components").get("model");
            assertThat(model.get("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(model.get("details").get("state").asText()).isEqualTo("LOADING");
            assertThat(http.get("/actuator/health/liveness").statusCode()).as("alive while loading").isEqualTo(200);
            HttpResponse<String> early = http.raw("/v1/age?align=none", new byte[] {1}, "image/jpeg");
            AgeEndpointTest.assertProblem(early, 503, "not-ready");
            assertThat(early.headers().firstValue("Retry-After")).isPresent();
            assertThat(started).as("start-up waits for the model").isNotDone();

            release.countDown();
            context = started.get(60, TimeUnit.SECONDS);
            HttpResponse<String> ready = http.get("/actuator/health/readiness");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ServiceTestSupport.json(ready.body()).get("status").asText()).isEqualTo("UP");
            assertThat(http.raw("/v1/age?align=none", SharedData.utkfaceCrops(1).get(0), "image/jpeg").statusCode())
                    .isEqualTo(200);
        } finally {
            release.countDown();
            if (context == null) {
                context = started.get(60, TimeUnit.SECONDS);
            }
            context.close();
        }
    }

    @Test
    void shutdownAnswersEveryAcceptedRequestAndRefusesNewWorkWith503() throws Exception {
        Path bundle = TestBundles.write(tmp.resolve("tiny-drain"), "TinyAgeNet", 64);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        ConfigurableApplicationContext context = app(bundle, port).run(args(bundle));
        Http http = new Http(port.get(1, TimeUnit.SECONDS));
        List<byte[]> faces = SharedData.utkfaceCrops(16);
        assertThat(status(http, faces.get(0)).status()).as("warm").isEqualTo(200);
        AgeService service = context.getBean(AgeService.class);
        Admission admission = context.getBean(Admission.class);
        ModelRuntime runtime = context.getBean(ModelRegistry.class).runtime(null);
        ExecutorService clients = Executors.newFixedThreadPool(faces.size());
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (byte[] face : faces) {
                answers.add(clients.submit(() -> status(http, face)));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (service.inFlight() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(service.inFlight()).as("requests are inside").isPositive();
            // let in or waiting for a place: each of these is answered, none has its connection closed
            int inside = admission.inFlight() + admission.waiting();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close); // what SIGTERM does
            while (!service.draining() && !closing.isDone()) {
                Thread.onSpinWait();
            }
            Answer late = status(http, faces.get(0));
            assertThat(late.status()).as("new work while draining: 503, or refused once the connector closed: " + late)
                    .isIn(503, -1);
            int ok = 0;
            int answered = 0;
            for (Future<Answer> a : answers) {
                Answer answer = a.get(60, TimeUnit.SECONDS); // nothing hangs
                assertThat(answer.status()).as(answer.toString()).isIn(200, 503, -1);
                ok += answer.status() == 200 ? 1 : 0;
                answered += answer.status() == -1 ? 0 : 1;
            }
            assertThat(ok).as("requests inside when the shutdown began were finished").isPositive();
            assertThat(answered).as("answered (200, or 503 from the backlog) of the %d inside", inside)
                    .isGreaterThanOrEqualTo(inside);
            closing.get(60, TimeUnit.SECONDS);
            assertThat(runtime.closed()).as("the worker finished and the model was freed").isTrue();
        } finally {
            clients.shutdownNow();
            context.close();
        }
    }

    /** An answer's status and body; status -1 when the connection was refused or closed unanswered. */
    private record Answer(int status, String body) {}

    private static Answer status(Http http, byte[] face) {
        try {
            HttpResponse<String> r = http.raw("/v1/age?align=none", face, "image/jpeg");
            return new Answer(r.statusCode(), r.body());
        } catch (IllegalStateException refused) {
            return new Answer(-1, refused.getMessage());
        }
    }

    private static SpringApplicationBuilder app(Path bundle, CompletableFuture<Integer> port) {
        return new SpringApplicationBuilder(DldlAgeApplication.class)
                .listeners((ApplicationListener<WebServerInitializedEvent>) e -> port.complete(e.getWebServer().getPort()));
    }

    /** As command-line arguments: they win over application.yml. */
    private static String[] args(Path bundle) {
        return new String[] {"--server.port=0", "--age.device=cpu", "--age.model.path=" + bundle,
            "--age.batching.request-timeout=30s"};
    }

}
