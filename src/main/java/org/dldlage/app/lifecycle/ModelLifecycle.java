package org.dldlage.app.lifecycle;

import org.dldlage.app.engine.NativeAllocator;
import java.awt.image.BufferedImage;
import java.time.Duration;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.inference.Admission;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.registry.ModelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Loads the models once the web server listens, so probes can be answered meanwhile: liveness is UP,
 * readiness DOWN until the detector and the default model have run a warm-up pass. A default bundle
 * that fails to load fails the start-up (before readiness ever turns UP); the other models load in
 * the background afterwards, and the store is watched for new versions. On shutdown it stops first:
 * new requests and those waiting for admission get 503 while those inside finish; the models are closed
 * after the web server drained.
 */
public class ModelLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelLifecycle.class);

    /** After the web server starts (Boot's web server phases are below), and so stopped before it. */
    static final int PHASE = Integer.MAX_VALUE - 512;

    /** Time the requests released from the admission backlog get to leave it on shutdown. */
    private static final Duration WAITERS_LEAVE = Duration.ofSeconds(2);

    private final ModelRegistry registry;
    private final AgeService service;
    private final Admission admission;
    private final FaceDetector detector;
    private final ApplicationEventPublisher events;
    private final Duration drainTimeout;
    private final Duration watchInterval;
    private volatile boolean running;

    /** @param watchInterval time between scans of the model store, or null for no hot reload from the store */
    public ModelLifecycle(ModelRegistry registry, AgeService service, Admission admission, FaceDetector detector,
            ApplicationEventPublisher events, Duration drainTimeout, Duration watchInterval) {
        this.registry = registry;
        this.service = service;
        this.admission = admission;
        this.detector = detector;
        this.events = events;
        this.drainTimeout = drainTimeout;
        this.watchInterval = watchInterval;
    }

    @Override
    public void start() {
        // the process is healthy while it loads; Boot would report liveness BROKEN until it has started
        AvailabilityChangeEvent.publish(events, this, LivenessState.CORRECT);
        long t0 = System.nanoTime();
        log.info("Loading the default model {} of {}", registry.defaultName(), registry.names());
        NativeAllocator.Report allocator = NativeAllocator.report();
        if (allocator.warn() && detector != null) {
            log.warn(allocator.line());
        } else {
            log.info(allocator.line());
        }
        if (detector != null) {
            detector.detect(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), FaceDetector.DEFAULT_MIN_FACE_SIZE); // warm-up
        } else {
            log.warn("No face detector configured: only align=none is served (align=mtcnn|box get 422)");
        }
        registry.startDefault();
        registry.startBackground(watchInterval);
        running = true;
        log.info("Default model {} ready in {} ms; {}", registry.defaultName(), (System.nanoTime() - t0) / 1_000_000,
                watchInterval == null ? "hot reload from the store is off"
                        : "watching for new bundles every " + watchInterval.toMillis() + " ms");
    }

    @Override
    public void stop() {
        service.drain();
        admission.drain();
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        // the backlog's requests leave now with their 503; the web server's graceful shutdown, which runs
        // next, waits only for requests inside Spring and would close the connections of those still waiting
        long until = System.nanoTime() + WAITERS_LEAVE.toNanos();
        while (admission.waiting() > 0 && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
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
        admission.drain();
        registry.close(drainTimeout);
    }
}
