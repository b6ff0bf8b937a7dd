package org.dldlage.app;

import org.dldlage.app.lifecycle.ModelLifecycle;
import org.dldlage.app.startup.StartupException;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.dldlage.api.ApiLimits;
import org.dldlage.api.ApiMeters;
import org.dldlage.api.WhenServing;
import org.dldlage.inference.AgeCheckPolicy;
import org.dldlage.inference.RequestDefaults;
import org.dldlage.api.WhenServing;
import ai.djl.Device;
import ai.djl.engine.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.MultipartConfigElement;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Path;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.decode.ImageDecoder;
import org.dldlage.face.detect.Mtcnn;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.dldlage.inference.Admission;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.inference.batch.WorkerRestarts;
import org.dldlage.inference.registry.ModelRegistry;
import org.dldlage.inference.registry.ModelRuntime;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.ModelBundles;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the age pipeline: the image decoder, MTCNN (unless {@code age.detection.enabled=false}), the
 * model registry (each model with its micro-batcher), and the lifecycle that drives loading,
 * hot reload, readiness and draining.
 */
@Configuration(proxyBeanMethods = false)
@WhenServing
public class ServiceConfiguration {

    @Bean
    PipelineMeters pipelineMeters(MeterRegistry registry) {
        return new PipelineMeters(registry);
    }

    /** What a request may send ({@code age.limits.*}), for the API. */
    @Bean
    ApiLimits apiLimits(AgeProperties properties) {
        AgeProperties.Limits l = properties.limits();
        return new ApiLimits(l.maxImageSize().toBytes(), l.maxBatchImages(), l.maxInFlight(),
                properties.batching().retryAfter().toSeconds());
    }

    /** A request's defaults and bounds ({@code age.detection.*}, {@code age.limits.max-faces}). */
    @Bean
    RequestDefaults requestDefaults(AgeProperties properties) {
        AgeProperties.Detection d = properties.detection();
        return new RequestDefaults(d.defaultAlign(), d.defaultMaxFaces(), d.minFaceSize(), properties.limits().maxFaces());
    }

    /** The age-check rule of {@code minimumAge} requests ({@code age.check.*}). */
    @Bean
    AgeCheckPolicy ageCheckPolicy(AgeProperties properties) {
        AgeProperties.Check c = properties.check();
        return new AgeCheckPolicy(c.rule(), c.defaultBuffer(), c.passProbability(), c.failProbability());
    }

    /**
     * The counters alerts and dashboards read, registered at zero when the service starts:
     * {@code age_errors_total} for every error code and {@code age_rejections_total} for every reason and
     * served model. Without them a rate over a counter that never moved is "no data", not 0.
     */
    @Bean
    MeterBinder countersAtZero(PipelineMeters meters, ModelRegistry models) {
        return registry -> {
            ApiMeters.registerAtZero(registry);
            meters.registerAtZero(models.names());
        };
    }

    @Bean
    ImageDecoder imageDecoder(AgeProperties properties) {
        return new ImageDecoder(properties.limits().maxPixels(), properties.limits().minImageSide());
    }

    /** MTCNN from the weights the build fetched; missing weights stop start-up with one line. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "age.detection.enabled", havingValue = "true", matchIfMissing = true)
    Mtcnn faceDetector(AgeProperties properties) {
        Path dir = properties.detection().mtcnnDir();
        try {
            return Mtcnn.load(dir, Device.cpu(), Mtcnn.DEFAULT_MAX_PYRAMID_SIDE);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("MTCNN weights in " + dir.toAbsolutePath() + " cannot be loaded (" + e.getMessage()
                    + "); run ./mvnw initialize to fetch them, or set age.detection.enabled=false to serve align=none only");
        }
    }

    @Bean
    ModelRuntime.Loader modelLoader() {
        return AgeModel::load;
    }

    /**
     * The served models: {@code age.model.path} alone, or the bundles of {@code age.models.store}. Their
     * manifests are read now: a missing or unreadable default (or listed) bundle fails start-up before
     * the web server opens its port.
     */
    @Bean(destroyMethod = "") // closed by ModelLifecycle after the web server has drained
    ModelRegistry modelRegistry(AgeProperties properties, ObjectProvider<ModelRuntime.Loader> loader,
            PipelineMeters meters) {
        AgeProperties.Models models = properties.models();
        ModelRegistry.BundleSource source;
        if (properties.model().path() != null) {
            ModelBundles.readManifest(properties.model().path());
            source = ModelRegistry.single(properties.model().path());
        } else {
            models.names().forEach(n -> ModelBundles.readManifest(models.store().resolve(n)));
            source = ModelRegistry.store(models.store(), models.names());
        }
        String defaultModel = models.defaultModel() != null ? models.defaultModel()
                : models.names().isEmpty() ? null : models.names().get(0);
        AgeProperties.Batching b = properties.batching();
        ModelRegistry registry = new ModelRegistry(source, defaultModel, loader.getIfUnique(() -> AgeModel::load),
                () -> device(properties.device()), new MicroBatcher.Settings(b.maxBatchSize(), b.maxDelay(), b.queueCapacity(),
                        WorkerRestarts.after(b.workerRestartDelay())), b.tuneBatchSize(),
                meters, drainTimeout(properties));
        registry.discover();
        return registry;
    }

    /** How long a replaced or closing model waits for the requests still using it. */
    static Duration drainTimeout(AgeProperties properties) {
        return properties.batching().requestTimeout().plus(Duration.ofSeconds(5));
    }

    @Bean
    AgeService ageService(ModelRegistry registry, ImageDecoder decoder, ObjectProvider<FaceDetector> detector,
            PipelineMeters meters, AgeProperties properties) {
        AgeService service = new AgeService(registry, decoder, detector.getIfAvailable(), properties.detection().refindInCrops(),
                properties.detection().boxMargin(), meters,
                properties.detection().effectiveConcurrency(), properties.batching().requestTimeout(),
                properties.limits().maxInFlight());
        meters.watchRequests(service::inFlight);
        return service;
    }

    /** Who gets into the pipeline; installed in front of Spring by {@code api.AdmissionValve}. */
    @Bean
    Admission admission(AgeProperties properties, PipelineMeters meters) {
        AgeProperties.Admission a = properties.admission();
        Admission admission = new Admission(properties.limits().maxInFlight(), a.minInFlight(), a.adaptive(), a.targetLatency(),
                properties.batching().requestTimeout(), a.backlog());
        meters.watchAdmission(admission::limit, admission::inFlight, admission::waiting);
        return admission;
    }

    @Bean
    ModelLifecycle modelLifecycle(ModelRegistry registry, AgeService service, Admission admission,
            ObjectProvider<FaceDetector> detector, ApplicationEventPublisher events, AgeProperties properties) {
        AgeProperties.Watch watch = properties.models().watch();
        return new ModelLifecycle(registry, service, admission, detector.getIfAvailable(), events, drainTimeout(properties),
                watch.enabled() ? watch.interval() : null);
    }

    /**
     * Upload limits from {@code age.limits.max-image-size} per part, and that times
     * {@code max-batch-images} per request for {@code /v1/age/batch} (replaces Boot's multipart settings).
     * Parts up to 1 MB stay in memory: with Boot's threshold of 0 every upload was written to a temporary
     * file and read back.
     */
    @Bean
    MultipartConfigElement multipartConfigElement(AgeProperties properties) {
        long max = properties.limits().maxImageSize().toBytes();
        long request = max * properties.limits().maxBatchImages() + 64 * 1024;
        return new MultipartConfigElement("", max, request, (int) Math.min(max, 1 << 20));
    }

    /** {@code age.device}: the CPU, a GPU, or a GPU when PyTorch sees one. */
    static Device device(AgeProperties.DeviceChoice choice) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new StartupException("age.device=gpu, but PyTorch sees no GPU (build with -Pcuda on a CUDA machine,"
                            + " or use age.device=auto|cpu)");
                }
                yield Device.gpu();
            }
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }
}
