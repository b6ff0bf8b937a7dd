package org.dldlage.inference.registry;

import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.inference.UnknownModelException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dldlage.model.AgeModel;
import org.dldlage.model.net.Architecture;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's swap on real bundles: a leased version outlives its replacement until released. */
class ModelRegistryTest {

    @TempDir
    Path store;

    @Test
    void aLeasedVersionStaysOpenAfterTheSwapAndClosesWhenReleased() throws Exception {
        TestBundles.write(store.resolve("tiny"), Architecture.TINY, 32, 1);
        Files.createDirectories(store.resolve("mtcnn"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRegistry registry = new ModelRegistry(ModelRegistry.store(store, List.of()), null, AgeModel::load, Device::cpu,
                new MicroBatcher.Settings(4, Duration.ZERO, 16), false, new PipelineMeters(meters), Duration.ofSeconds(30));
        try {
            registry.discover();
            assertThat(registry.names()).containsExactly("tiny");
            registry.startDefault();
            ModelRegistry.Lease held = registry.lease(null);
            ModelRuntime v1 = held.runtime();
            assertThat(v1.version()).isEqualTo(1);

            TestBundles.write(store.resolve("tiny"), Architecture.TINY, 32, 2); // a new version in place
            List<ModelRegistry.ReloadOutcome> outcomes = registry.reload(null, Duration.ofSeconds(60));
            assertThat(outcomes).extracting(ModelRegistry.ReloadOutcome::outcome)
                    .containsExactly(ModelRegistry.ReloadOutcome.Result.LOADED);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(outcomes.get(0)))
                    .as("the wire text").contains("\"outcome\":\"loaded\"");

            try (ModelRegistry.Lease fresh = registry.lease("tiny")) {
                assertThat(fresh.runtime().version()).as("new requests get the new version").isEqualTo(2);
            }
            Thread.sleep(200);
            assertThat(v1.closed()).as("still held by a request").isFalse();
            var face = new ModelRuntime.FaceInput(new byte[32 * 32 * 3], true, false);
            assertThat(v1.batcher().submit(face, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)).get(10, TimeUnit.SECONDS)
                    .value().distribution()).as("the old version still answers its request").isNotNull();
            held.close();
            v1.drained().get(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!v1.closed() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(v1.closed()).as("closed once released").isTrue();
            assertThat(v1.tryAcquire()).as("a drained version takes no new lease").isFalse();
            assertThat(meters.get("age.model.loads").tag("model", "tiny").tag("outcome", "ok").counter().count()).isEqualTo(2);
            assertThatThrownBy(() -> registry.lease("other")).isInstanceOf(UnknownModelException.class)
                    .hasMessageContaining("tiny");
        } finally {
            registry.close(Duration.ofSeconds(10));
        }
        assertThat(registry.runtime(null).closed()).isTrue();
    }

    @Test
    void withoutAConfiguredDefaultTheBundleWithTheLowestMeanValMaeIsTheDefault() throws Exception {
        for (String name : List.of("a-plain", "b-worse", "c-better")) {
            TestBundles.write(store.resolve(name), Architecture.TINY, 32, 1);
        }
        var worse = org.dldlage.model.bundle.ModelBundles.readManifest(store.resolve("b-worse"));
        org.dldlage.model.bundle.ModelBundles.writeManifest(store.resolve("b-worse"),
                worse.withTestMetrics(java.util.Map.of("x.val.mae", 6.0, "y.val.mae", 7.0, "x.test.mae", 1.0)));
        var better = org.dldlage.model.bundle.ModelBundles.readManifest(store.resolve("c-better"));
        org.dldlage.model.bundle.ModelBundles.writeManifest(store.resolve("c-better"),
                better.withTestMetrics(java.util.Map.of("x.val.mae", 5.0, "y.val.mae", 7.5, "y.val.crops.mae", 1.0)));
        ModelRegistry registry = storeRegistry(null);
        try {
            registry.discover();
            assertThat(registry.defaultName()).as("mean 6.25 beats 6.5; a bundle without metrics comes last").isEqualTo("c-better");
        } finally {
            registry.close();
        }
        ModelRegistry named = storeRegistry("a-plain");
        try {
            named.discover();
            assertThat(named.defaultName()).as("a configured default wins").isEqualTo("a-plain");
        } finally {
            named.close();
        }
    }

    private ModelRegistry storeRegistry(String defaultName) {
        return new ModelRegistry(ModelRegistry.store(store, List.of()), defaultName, AgeModel::load, Device::cpu,
                new MicroBatcher.Settings(4, Duration.ZERO, 16), false, new PipelineMeters(new SimpleMeterRegistry()),
                Duration.ofSeconds(30));
    }
}
