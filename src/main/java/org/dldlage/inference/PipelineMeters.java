package org.dldlage.inference;

import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.inference.registry.ModelRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline's meters: a timer per stage, batch sizes and fill, queue gauges, rejections, worker deaths and
 * faces per request. The stages after decoding/detection/alignment are per model (tag {@code model}):
 * {@link #forModel} gives each model's batcher its {@link MicroBatcher.Listener}.
 */
public final class PipelineMeters {

    private final MeterRegistry registry;
    private final Timer decode;
    private final Timer detect;
    private final Timer align;
    private final DistributionSummary faces;
    private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();
    private final Map<ModelRuntime, Gauge> info = new ConcurrentHashMap<>();

    public PipelineMeters(MeterRegistry registry) {
        this.registry = registry;
        decode = stage("age.decode", "Decoding an uploaded image, header check included", Tags.empty());
        detect = stage("age.detect", "Face detection on one image", Tags.empty());
        align = stage("age.align", "Cutting out and aligning the faces of one image", Tags.empty());
        faces = DistributionSummary.builder("age.faces").description("Faces estimated per request")
                .baseUnit("faces").register(registry);
    }

    private Timer stage(String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(tags).publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    /**
     * The meters of one model (all its versions): queue wait, forward pass, batch size and fill, queue
     * gauges reading whichever version {@code batcher} returns now, and its memory.
     */
    public MicroBatcher.Listener forModel(String model, Supplier<MicroBatcher<?, ?>> batcher) {
        return models.computeIfAbsent(model, m -> new ModelMeters(m, batcher));
    }

    /** A version finished loading: {@code age.model.info} with its identity, and the load counted. */
    public void modelLoaded(ModelRuntime runtime) {
        loads(runtime.name(), "ok");
        var m = runtime.manifest();
        info.put(runtime, Gauge.builder("age.model.info", () -> 1).description("A loaded model version; the value is always 1")
                .tag("name", runtime.name()).tag("architecture", m.architecture()).tag("device", runtime.deviceName())
                .tag("version", String.valueOf(runtime.version())).register(registry));
        ModelMeters mm = models.get(runtime.name());
        if (mm != null) {
            mm.serving = runtime;
        }
    }

    /** A version was closed: its {@code age.model.info} goes away. */
    public void modelUnloaded(ModelRuntime runtime) {
        Gauge g = info.remove(runtime);
        if (g != null) {
            registry.remove(g);
        }
    }

    /** A version failed to load or verify. */
    public void loadFailed(String model) {
        loads(model, "failed");
    }

    private void loads(String model, String outcome) {
        Counter.builder("age.model.loads").description("Model versions loaded (ok) or refused at load or verification (failed)")
                .tag("model", model).tag("outcome", outcome).register(registry).increment();
    }

    /** One model's meters, the batcher's listener. */
    private final class ModelMeters implements MicroBatcher.Listener {
        final String model;
        final Timer queueWait;
        final Timer inference;
        final DistributionSummary batchSize;
        final DistributionSummary batchFill;
        volatile ModelRuntime serving;

        ModelMeters(String model, Supplier<MicroBatcher<?, ?>> batcher) {
            this.model = model;
            Tags tags = Tags.of("model", model);
            queueWait = stage("age.queue.wait", "Time a face waited in the inference queue before its batch ran", tags);
            inference = stage("age.inference", "One batched forward pass", tags);
            batchSize = DistributionSummary.builder("age.batch.size").description("Faces per forward pass").tags(tags)
                    .baseUnit("faces").publishPercentiles(0.5, 0.95).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                    .register(registry);
            batchFill = DistributionSummary.builder("age.batch.fill")
                    .description("Faces per forward pass as a share of the maximum batch size").baseUnit("ratio").tags(tags)
                    .register(registry);
            // gauges over the live queue: read on every scrape, never a stale copy
            Gauge.builder("age.queue.depth", batcher, b -> b.get() == null ? 0 : b.get().queued()).tags(tags)
                    .description("Faces waiting for inference").baseUnit("faces").strongReference(true).register(registry);
            Gauge.builder("age.queue.remaining", batcher, b -> b.get() == null ? 0 : b.get().remainingCapacity()).tags(tags)
                    .description("Faces that can still be queued before requests are refused").baseUnit("faces")
                    .strongReference(true).register(registry);
            Gauge.builder("age.model.parameter", this, m -> m.cost(false)).tags(tags).baseUnit("bytes")
                    .description("Bytes of the serving version's parameter tensors").strongReference(true).register(registry);
            Gauge.builder("age.model.resident", this, m -> m.cost(true)).tags(tags).baseUnit("bytes")
                    .description("Growth of the process's resident set size while the serving version loaded and warmed up")
                    .strongReference(true).register(registry);
        }

        double cost(boolean resident) {
            ModelRuntime rt = serving;
            ModelRuntime.ResidentCost c = rt == null ? null : rt.cost();
            if (c == null) {
                return Double.NaN;
            }
            return resident ? (c.rssDeltaBytes() == null ? Double.NaN : c.rssDeltaBytes()) : c.parameterBytes();
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
            rejection(reason == BatchRejectedException.Reason.QUEUE_FULL ? Rejection.QUEUE_FULL : Rejection.DRAINING, model);
        }

        @Override
        public void expired() {
            rejection(Rejection.DEADLINE, model);
        }

        @Override
        public void workerDied(Throwable error, boolean restarting) {
            Counter.builder("age.inference.worker.deaths")
                    .description("Inference workers that died of an Error escaping a forward pass, failing the faces waiting;"
                            + " restarted=false: the model stays FAILED")
                    .tag("model", model).tag("error", error.getClass().getSimpleName())
                    .tag("restarted", String.valueOf(restarting)).register(registry).increment();
        }
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

    /** Counts a refused request by why, and for which model. */
    public void rejection(Rejection reason, String model) {
        rejections(reason, model).increment();
    }

    private Counter rejections(Rejection reason, String model) {
        return Counter.builder("age.rejections").description("Requests refused or dropped by the pipeline")
                .tag("reason", reason.tag()).tag("model", model).register(registry);
    }

    /**
     * Registers at zero what an alert or dashboard reads before the first event: every rejection reason
     * for each of {@code models}, and refusals at the door ({@code model="none"}).
     */
    public void registerAtZero(java.util.Collection<String> models) {
        for (String model : models) {
            for (Rejection r : Rejection.values()) {
                rejections(r, model);
            }
        }
        refusedAtAdmission();
        refusedWhileDraining();
    }

    /** Requests inside the pipeline now. */
    public void watchRequests(java.util.function.IntSupplier inFlight) {
        Gauge.builder("age.requests.active", inFlight, IntSupplierValue::value).description("Requests being estimated now")
                .baseUnit("requests").strongReference(true).register(registry);
    }

    /** The admission limit now, the requests let in and those waiting for a place. */
    public void watchAdmission(java.util.function.IntSupplier limit, java.util.function.IntSupplier admitted,
            java.util.function.IntSupplier waiting) {
        Gauge.builder("age.admission.limit", limit, IntSupplierValue::value).description("Requests let into the pipeline at once now")
                .baseUnit("requests").strongReference(true).register(registry);
        Gauge.builder("age.admission.admitted", admitted, IntSupplierValue::value)
                .description("Requests let in and not yet answered (reading their body included)").baseUnit("requests")
                .strongReference(true).register(registry);
        Gauge.builder("age.admission.waiting", waiting, IntSupplierValue::value)
                .description("Requests waiting for a place in the pipeline now").baseUnit("requests").strongReference(true).register(registry);
    }

    /** The counter of requests refused at the door (one meter, looked up once). */
    public Counter refusedAtAdmission() {
        return rejections(Rejection.IN_FLIGHT, "none");
    }

    /** The counter of requests refused at the door, or released from its backlog, because the service shuts down. */
    public Counter refusedWhileDraining() {
        return rejections(Rejection.DRAINING, "none");
    }

    private static final class IntSupplierValue {
        static double value(java.util.function.IntSupplier s) {
            return s.getAsInt();
        }
    }

}
