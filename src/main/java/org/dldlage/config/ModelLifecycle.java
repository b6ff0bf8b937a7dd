package org.dldlage.config;

import java.awt.image.BufferedImage;
import java.time.Duration;
import org.dldlage.face.FaceDetector;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.ModelRuntime;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.model.BundleManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Loads the model once the web server listens, so probes can be answered meanwhile: liveness is UP,
 * readiness DOWN until the detector and the model have run a warm-up pass. A bundle that fails to
 * load fails the start-up (before readiness ever turns UP). On shutdown it stops first: new
 * requests get 503 while those inside finish; the runtime is closed after the web server drained.
 */
public class ModelLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelLifecycle.class);

    /** After the web server starts (Boot's web server phases are below), and so stopped before it. */
    static final int PHASE = Integer.MAX_VALUE - 512;

    private final ModelRuntime runtime;
    private final AgeService service;
    private final FaceDetector detector;
    private final PipelineMeters meters;
    private final ApplicationEventPublisher events;
    private final Duration drainTimeout;
    private volatile boolean running;

    ModelLifecycle(ModelRuntime runtime, AgeService service, FaceDetector detector, PipelineMeters meters,
            ApplicationEventPublisher events, Duration drainTimeout) {
        this.runtime = runtime;
        this.service = service;
        this.detector = detector;
        this.meters = meters;
        this.events = events;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void start() {
        // the process is healthy while it loads; Boot would report liveness BROKEN until it has started
        AvailabilityChangeEvent.publish(events, this, LivenessState.CORRECT);
        long t0 = System.nanoTime();
        log.info("Loading model bundle {}", runtime.path());
        if (detector != null) {
            detector.detect(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), 20); // warm-up
        } else {
            log.warn("No face detector configured: only align=none is served (align=mtcnn|box get 422)");
        }
        runtime.start();
        BundleManifest m = runtime.manifest();
        String device = runtime.deviceName();
        meters.modelLoaded(m.name(), m.architecture(), device);
        running = true;
        log.info("Model {} ({}, input {}×{}, {} parameters) ready on {} in {} ms", m.name(), m.architecture(),
                m.inputSize(), m.inputSize(), m.parameters().trainableCount(), device, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void stop() {
        service.drain();
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Runs when the context closes, after the web server's graceful shutdown. */
    public void close() {
        service.drain();
        runtime.close(drainTimeout);
    }
}
