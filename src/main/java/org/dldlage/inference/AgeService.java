package org.dldlage.inference;

import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.inference.registry.ModelRegistry;
import org.dldlage.inference.registry.ModelRuntime;
import org.dldlage.face.align.Align;

import org.dldlage.face.decode.ImageDecodeException;
import org.dldlage.face.align.FaceCropper;
import org.dldlage.face.align.Framing;
import org.dldlage.face.decode.ImageDecoder;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.dldlage.core.AgeDistribution;
import org.dldlage.face.detect.Face;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.model.bundle.BundleManifest;

/**
 * The age pipeline for one photo: decode, detect, crop (on the caller's thread, at most
 * {@code preprocessing} photos at once), then the faces go through the chosen model's micro-batcher.
 * The request leases the model's serving version before it decodes and returns the lease once
 * answered, so a hot swap never fails or delays it. Every call returns an {@link Estimation} or
 * throws one of this package's exceptions.
 */
public final class AgeService {

    private final ModelRegistry models;
    private final ImageDecoder decoder;
    private final FaceDetector detector;
    private final boolean refindInCrops;
    private final double boxMargin;
    private final PipelineMeters meters;
    private final Semaphore preprocessing;
    private final long timeoutNanos;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    /**
     * @param detector null when the service runs without face detection (only {@code align=none})
     * @param refindInCrops {@code align=none} on a model trained on aligned faces looks for the crop's own face first
     * @param preprocessing how many photos may be decoded/detected/cropped at once
     * @param requestTimeout each request's deadline, counted from its arrival
     * @param maxInFlight requests inside at once; one more is refused with 429 (overloaded) at once
     */
    public AgeService(ModelRegistry models, ImageDecoder decoder, FaceDetector detector, boolean refindInCrops,
            double boxMargin, PipelineMeters meters, int preprocessing, Duration requestTimeout, int maxInFlight) {
        this.models = models;
        this.decoder = decoder;
        this.detector = detector;
        this.refindInCrops = refindInCrops;
        this.boxMargin = boxMargin;
        this.meters = meters;
        this.preprocessing = new Semaphore(preprocessing, true);
        this.timeoutNanos = requestTimeout.toNanos();
        this.maxInFlight = maxInFlight;
    }

    public boolean hasDetector() {
        return detector != null;
    }

    /** From now on new requests are refused (503); those already inside run to the end. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Requests accepted and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The served models. */
    public ModelRegistry models() {
        return models;
    }

    /**
     * Refuses work the service cannot do now, before the caller reads the upload.
     *
     * @throws UnknownModelException when no model has the options' name
     */
    public void checkAvailable(EstimateOptions options) {
        String model = options.model();
        Align align = options.align();
        String name = model == null ? models.defaultName() : model;
        ModelRegistry.State state = models.state(name);
        if (state == null) {
            throw new UnknownModelException(model, models.names());
        }
        if (draining) {
            meters.rejection(Rejection.DRAINING, name);
            throw new NotReadyException(true);
        }
        if (state != ModelRegistry.State.READY) {
            meters.rejection(Rejection.NOT_READY, name);
            models.lease(name).close(); // throws the reason: still loading, or failed
        }
        if (align.needsDetector() && detector == null) {
            throw new AlignUnavailableException(align);
        }
    }

    /** As {@link #estimate(byte[], EstimateOptions, long)} for a request that arrives now. */
    public Estimation estimate(byte[] photo, EstimateOptions options) {
        return estimate(photo, options, System.nanoTime());
    }

    /**
     * @param arrivalNanos when the request arrived ({@link System#nanoTime()}): its deadline counts from then, and
     *     it is dropped before each expensive stage (decode, detect, forward) once the deadline has passed
     */
    public Estimation estimate(byte[] photo, EstimateOptions options, long arrivalNanos) {
        Part part = estimateAll(List.of(photo), options, arrivalNanos).get(0);
        if (part.failure() != null) {
            throw part.failure();
        }
        return part.estimation();
    }

    /**
     * One photo of {@link #estimateAll}: its estimation, or why it could not be read.
     *
     * @param estimation null when the image could not be decoded
     * @param failure null when it could
     */
    public record Part(Estimation estimation, ImageRejectedException failure) {}

    /**
     * Several photos as one request: it counts once against the in-flight limit and leases one model
     * version; the photos are decoded, detected and cropped one after the other, then the faces of all
     * of them are queued together (all or none: each face counts against the queue) and ride the same
     * micro-batches. A photo that cannot be decoded fails alone; the others still answer, in order.
     */
    public List<Part> estimateAll(List<byte[]> photos, EstimateOptions options) {
        return estimateAll(photos, options, System.nanoTime());
    }

    /** As {@link #estimateAll(List, EstimateOptions)}, the deadline counted from {@code arrivalNanos}. */
    public List<Part> estimateAll(List<byte[]> photos, EstimateOptions options, long arrivalNanos) {
        long start = arrivalNanos;
        checkAvailable(options);
        int inside = inFlight.incrementAndGet();
        if (inside > maxInFlight) {
            // refuse at once: waiting in front of busy cores would only run past the deadline
            inFlight.decrementAndGet();
            meters.rejection(Rejection.IN_FLIGHT, options.model() == null ? models.defaultName() : options.model());
            throw BatchRejectedException.overloaded(inside - 1);
        }
        try (ModelRegistry.Lease lease = models.lease(options.model())) {
            return run(photos, options, start, lease.runtime());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** A decoded photo, its faces and their crops, and what that took. */
    private record Prepared(BufferedImage image, List<Face> faces, List<ModelRuntime.FaceInput> inputs, long decodeNanos,
            long detectNanos, long alignNanos) {}

    private Prepared prepare(byte[] photo, EstimateOptions options, BundleManifest manifest, long deadline, String model)
            throws ImageDecodeException {
        expired(deadline, model);
        long t = System.nanoTime();
        BufferedImage image = decoder.decode(photo);
        long decodeNanos = System.nanoTime() - t;
        meters.decoded(decodeNanos);
        FaceCropper cropper = cropper(options, manifest);
        long detectNanos = 0;
        if (cropper.detects()) {
            expired(deadline, model);
        }
        t = System.nanoTime();
        List<Face> faces = cropper.faces(image, options.maxFaces());
        if (cropper.detects()) {
            detectNanos = System.nanoTime() - t;
            meters.detected(detectNanos);
        }
        t = System.nanoTime();
        List<ModelRuntime.FaceInput> inputs = new ArrayList<>(faces.size());
        for (Face face : faces) {
            inputs.add(new ModelRuntime.FaceInput(cropper.crop(image, face), options.flip(), options.explain()));
        }
        long alignNanos = System.nanoTime() - t;
        meters.aligned(alignNanos);
        return new Prepared(image, faces, inputs, decodeNanos, detectNanos, alignNanos);
    }

    private List<Part> run(List<byte[]> photos, EstimateOptions options, long start, ModelRuntime runtime) {
        long deadline = start + timeoutNanos;
        MicroBatcher<ModelRuntime.FaceInput, ModelRuntime.FacePrediction> batcher = runtime.batcher();
        BundleManifest manifest = runtime.manifest();
        Prepared[] prepared = new Prepared[photos.size()];
        ImageRejectedException[] failures = new ImageRejectedException[photos.size()];
        List<ModelRuntime.FaceInput> inputs = new ArrayList<>();
        List<CompletableFuture<MicroBatcher.Completed<ModelRuntime.FacePrediction>>> futures = List.of();
        try (MicroBatcher<?, ?>.Expected coming = batcher.expect()) {
            for (int i = 0; i < photos.size(); i++) {
                acquire(deadline, runtime.name()); // one photo at a time: a batch never holds every preprocessing slot
                try {
                    prepared[i] = prepare(photos.get(i), options, manifest, deadline, runtime.name());
                    inputs.addAll(prepared[i].inputs());
                } catch (ImageDecodeException e) {
                    failures[i] = new ImageRejectedException(e);
                } finally {
                    preprocessing.release();
                }
            }
            coming.close(); // before queueing: a lone request must not wait for itself
            if (!inputs.isEmpty()) {
                futures = batcher.submitAll(inputs, deadline);
            }
        }
        List<MicroBatcher.Completed<ModelRuntime.FacePrediction>> results = await(futures, deadline, runtime.name());
        List<Part> parts = new ArrayList<>(photos.size());
        int offset = 0;
        for (int i = 0; i < photos.size(); i++) {
            if (failures[i] != null) {
                parts.add(new Part(null, failures[i]));
                continue;
            }
            Prepared p = prepared[i];
            int n = p.inputs().size();
            parts.add(new Part(assemble(p, results.subList(offset, offset + n), manifest, runtime, start, options.align()), null));
            offset += n;
        }
        return parts;
    }

    private Estimation assemble(Prepared prepared, List<MicroBatcher.Completed<ModelRuntime.FacePrediction>> results,
            BundleManifest manifest, ModelRuntime runtime, long start, Align align) {
        meters.facesPerRequest(results.size());
        List<Estimation.FaceAge> ages = new ArrayList<>(results.size());
        double queueMs = 0;
        double inferenceMs = 0;
        int batchSize = 0;
        for (int i = 0; i < results.size(); i++) {
            MicroBatcher.Completed<ModelRuntime.FacePrediction> c = results.get(i);
            AgeDistribution p = c.value().distribution() == null ? null
                    : new AgeDistribution(manifest.labelSpace(), toDouble(c.value().distribution()));
            double age = p == null ? c.value().age() : p.expectation();
            ModelRuntime.FacePrediction v = c.value();
            Estimation.Explanation explanation = v.scoreMap() == null ? null : new Estimation.Explanation(
                    prepared.inputs().get(i).rgb(), manifest.inputSize(), v.scoreMap(), v.mapHeight(), v.mapWidth());
            Face face = prepared.faces().get(i);
            // align=none says which it did: the crop's face re-found and warped (mtcnn), or the crop as sent (none)
            Align applied = align == Align.NONE && face != null ? Align.MTCNN : align;
            ages.add(new Estimation.FaceAge(Estimation.Detection.of(face), applied.id(), age, p, explanation));
            queueMs = Math.max(queueMs, millis(c.queueNanos()));
            inferenceMs = Math.max(inferenceMs, millis(c.batchNanos()));
            batchSize = Math.max(batchSize, c.batchSize());
        }
        Estimation.Timings timings = new Estimation.Timings(millis(prepared.decodeNanos()), millis(prepared.detectNanos()),
                millis(prepared.alignNanos()), queueMs, inferenceMs, millis(System.nanoTime() - start), batchSize);
        BufferedImage image = prepared.image();
        return new Estimation(image.getWidth(), image.getHeight(), ages, timings,
                new Estimation.ModelUsed(runtime.name(), runtime.version(), manifest));
    }

    /**
     * How this request's photos become the model's S×S inputs, framed as its training faces were (warped onto the
     * bundle's template, boxed, or a crop resized); with {@code align=none} a model trained on aligned faces gets
     * each crop's own face found again and warped, unless {@code refindInCrops} is off.
     */
    private FaceCropper cropper(EstimateOptions options, BundleManifest manifest) {
        Align align = options.align();
        boolean detect = align.needsDetector() || (refindInCrops && manifest.trainedOnAlignedFaces());
        return new FaceCropper(detect ? detector : null,
                new Framing(align, manifest.inputSize(), manifest.alignmentTemplate(), boxMargin), options.minFaceSize());
    }

    /** Drops a request whose deadline has passed before it costs another stage. */
    private void expired(long deadline, String model) {
        if (System.nanoTime() - deadline >= 0) {
            meters.rejection(Rejection.DEADLINE, model);
            throw new DeadlineExceededException(TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        }
    }

    private void acquire(long deadline, String model) {
        try {
            if (!preprocessing.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                meters.rejection(Rejection.DEADLINE, model);
                throw new DeadlineExceededException(TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReadyException(true);
        }
    }

    private <T> List<T> await(List<CompletableFuture<T>> futures, long deadline, String model) {
        List<T> out = new ArrayList<>(futures.size());
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (CompletableFuture<T> f : futures) {
                out.add(f.join());
            }
            return out;
        } catch (TimeoutException e) {
            futures.forEach(f -> f.cancel(false)); // the worker skips them if it has not started them
            meters.rejection(Rejection.DEADLINE, model);
            throw new DeadlineExceededException(TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(false));
            Throwable cause = e.getCause();
            if (cause instanceof BatchRejectedException || cause instanceof DeadlineExceededException
                    || cause instanceof WorkerDiedException) {
                throw (RuntimeException) cause;
            }
            throw new EstimationFailedException("the model failed on this image's faces", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReadyException(true);
        }
    }

    private static double[] toDouble(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i];
        }
        return d;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
