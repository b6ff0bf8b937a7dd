package org.dldlage.config;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.MultipartConfigElement;
import java.time.Duration;
import org.dldlage.face.FaceDetector;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.BoxCropper;
import org.dldlage.inference.FaceCropper;
import org.dldlage.inference.ImageIoPhotoDecoder;
import org.dldlage.inference.MicroBatcher;
import org.dldlage.inference.ModelRuntime;
import org.dldlage.inference.PhotoDecoder;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.model.AgeModel;
import org.dldlage.model.ModelBundles;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the age pipeline. To serve with the face package's MTCNN, add a {@link FaceDetector} bean
 * (and, for landmark alignment, a {@link FaceCropper} bean built on its aligner, and a
 * {@link PhotoDecoder} on its decoder): each replaces the default here or fills the optional slot.
 */
@Configuration(proxyBeanMethods = false)
@WhenServing
public class ServiceConfiguration {

    @Bean
    PipelineMeters pipelineMeters(MeterRegistry registry) {
        return new PipelineMeters(registry);
    }

    @Bean
    PhotoDecoder photoDecoder(AgeProperties properties) {
        return new ImageIoPhotoDecoder(properties.limits().maxPixels(), properties.limits().minImageSide());
    }

    @Bean
    FaceCropper faceCropper(AgeProperties properties) {
        return new BoxCropper(properties.detection().boxMargin());
    }

    @Bean
    ModelRuntime.Loader modelLoader() {
        return AgeModel::load;
    }

    @Bean(destroyMethod = "") // closed by ModelLifecycle after the web server has drained
    ModelRuntime modelRuntime(AgeProperties properties, ObjectProvider<ModelRuntime.Loader> loader,
            PipelineMeters meters) {
        // a missing or unreadable model.json fails start-up before the web server opens its port
        ModelBundles.readManifest(properties.model().path());
        AgeProperties.Batching b = properties.batching();
        ModelRuntime runtime = new ModelRuntime(properties.model().path(), () -> device(properties.device()),
                loader.getIfUnique(() -> AgeModel::load),
                new MicroBatcher.Settings(b.maxBatchSize(), b.maxDelay(), b.queueCapacity()), meters);
        meters.watchQueue(runtime::batcher);
        return runtime;
    }

    @Bean
    AgeService ageService(ModelRuntime runtime, PhotoDecoder decoder, ObjectProvider<FaceDetector> detector,
            FaceCropper cropper, PipelineMeters meters, AgeProperties properties) {
        AgeService service = new AgeService(runtime, decoder, detector.getIfAvailable(), cropper, meters,
                properties.detection().effectiveConcurrency(), properties.batching().requestTimeout());
        meters.watchRequests(service::inFlight);
        return service;
    }

    @Bean
    ModelLifecycle modelLifecycle(ModelRuntime runtime, AgeService service, ObjectProvider<FaceDetector> detector,
            PipelineMeters meters, ApplicationEventPublisher events, AgeProperties properties) {
        return new ModelLifecycle(runtime, service, detector.getIfAvailable(), meters, events,
                properties.batching().requestTimeout().plus(Duration.ofSeconds(5)));
    }

    /** Upload limits from {@code age.limits.max-image-size} (replaces Boot's multipart settings). */
    @Bean
    MultipartConfigElement multipartConfigElement(AgeProperties properties) {
        long max = properties.limits().maxImageSize().toBytes();
        return new MultipartConfigElement("", max, max + 64 * 1024, 0);
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
