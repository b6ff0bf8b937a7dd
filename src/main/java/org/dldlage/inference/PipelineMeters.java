package org.dldlage.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline's meters: a timer per stage, batch sizes and fill, queue gauges, rejections and
 * faces per request. Also the batcher's {@link MicroBatcher.Listener}.
 */
public final class PipelineMeters implements MicroBatcher.Listener {

    private final MeterRegistry registry;
    private final Timer decode;
    private final Timer detect;
    private final Timer align;
    private final Timer queueWait;
    private final Timer inference;
    private final DistributionSummary batchSize;
    private final DistributionSummary batchFill;
    private final DistributionSummary faces;

    public PipelineMeters(MeterRegistry registry) {
        this.registry = registry;
        decode = stage("age.decode", "Decoding an uploaded image, header check included");
        detect = stage("age.detect", "Face detection on one image");
        align = stage("age.align", "Cutting out and aligning the faces of one image");
        queueWait = stage("age.queue.wait", "Time a face waited in the inference queue before its batch ran");
        inference = stage("age.inference", "One batched forward pass");
        batchSize = DistributionSummary.builder("age.batch.size").description("Faces per forward pass")
                .baseUnit("faces").publishPercentiles(0.5, 0.95).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        batchFill = DistributionSummary.builder("age.batch.fill")
                .description("Faces per forward pass as a share of the maximum batch size").baseUnit("ratio")
                .register(registry);
        faces = DistributionSummary.builder("age.faces").description("Faces estimated per request")
                .baseUnit("faces").register(registry);
    }

    private Timer stage(String name, String description) {
        return Timer.builder(name).description(description).publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    public void decoded(long nanos) {
        decode.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void detected(long nanos) {
        detect.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void aligned(long nanos) {
        align.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void facesPerRequest(int n) {
        faces.record(n);
    }

    /** Counts a refused request by why ({@code queue_full}, {@code draining}, {@code deadline}, ...). */
    public void rejection(String reason) {
        Counter.builder("age.rejections").description("Requests refused or dropped by the pipeline")
                .tag("reason", reason).register(registry).increment();
    }

    /** Gauges over the live queue: read on every scrape, never a stale copy. */
    public void watchQueue(Supplier<MicroBatcher<?, ?>> batcher) {
        Gauge.builder("age.queue.depth", batcher, b -> b.get() == null ? 0 : b.get().queued())
                .description("Faces waiting for inference").baseUnit("faces").strongReference(true).register(registry);
        Gauge.builder("age.queue.remaining", batcher, b -> b.get() == null ? 0 : b.get().remainingCapacity())
                .description("Faces that can still be queued before requests are refused").baseUnit("faces")
                .strongReference(true).register(registry);
    }

    /** Requests inside the pipeline now. */
    public void watchRequests(java.util.function.IntSupplier inFlight) {
        Gauge.builder("age.requests.active", inFlight, IntSupplierValue::value).description("Requests being estimated now")
                .baseUnit("requests").strongReference(true).register(registry);
    }

    private static final class IntSupplierValue {
        static double value(java.util.function.IntSupplier s) {
            return s.getAsInt();
        }
    }

    /** The loaded model, as a constant 1 with its identity in the labels. */
    public void modelLoaded(String name, String architecture, String device) {
        Gauge.builder("age.model.info", () -> 1).description("The loaded model; the value is always 1")
                .tag("name", name).tag("architecture", architecture).tag("device", device).register(registry);
    }

    @Override
    public void batchCompleted(int size, int maxBatchSize, long nanos) {
        inference.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(size);
        batchFill.record((double) size / maxBatchSize);
    }

    @Override
    public void queueWaited(long nanos) {
        queueWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(BatchRejectedException.Reason reason) {
        rejection(reason == BatchRejectedException.Reason.QUEUE_FULL ? "queue_full" : "draining");
    }

    @Override
    public void expired() {
        rejection("deadline");
    }
}
