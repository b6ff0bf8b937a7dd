package org.dldlage.app;

import org.dldlage.app.engine.EngineThreads;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.detect.Mtcnn;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.dldlage.core.AgeCheck;
import org.dldlage.face.align.Align;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.annotation.Validated;

/**
 * The age service's settings ({@code age.*}); every default is listed in {@code application.yml}.
 *
 * @param model the single-model shortcut: {@code age.model.path} serves that one bundle folder instead of {@code age.models}
 * @param models which bundles of the model store to serve, the default one, and hot reload
 * @param device {@code auto} (a GPU when the CUDA build finds one, else the CPU), {@code cpu} or {@code gpu}
 * @param batching the micro-batcher
 * @param limits what a request may send
 * @param detection face detection and the request threads that run it
 * @param admission which requests enter the pipeline under overload
 * @param check the age-check rule of {@code minimumAge} requests (pass / refer / fail)
 * @param engine the PyTorch engine
 */
@Validated
@ConfigurationProperties("age")
public record AgeProperties(
        @Valid @NotNull @DefaultValue Model model,
        @Valid @NotNull @DefaultValue Models models,
        @NotNull @DefaultValue("auto") DeviceChoice device,
        @Valid @NotNull @DefaultValue Batching batching,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Detection detection,
        @Valid @NotNull @DefaultValue Admission admission,
        @Valid @NotNull @DefaultValue Check check,
        @Valid @NotNull @DefaultValue Engine engine) {

    public enum DeviceChoice { AUTO, CPU, GPU }

    @AssertTrue(message = "admission.target-latency must be shorter than batching.request-timeout")
    public boolean isTargetLatencyWithinTimeout() {
        return admission == null || batching == null || admission.targetLatency() == null || batching.requestTimeout() == null
                || admission.targetLatency().compareTo(batching.requestTimeout()) < 0;
    }

    /**
     * @param threads PyTorch intra-op threads; unset: the number of cores (applied before the engine loads,
     *     by {@link EngineThreads})
     */
    public record Engine(@Min(1) @Max(1024) Integer threads) {}

    /** @param path one bundle folder (model.json + parameters) to serve alone; unset: {@code age.models} decides */
    public record Model(Path path) {}

    /**
     * @param store the folder whose sub-folders are bundles (those without a {@code model.json}, such as
     *     {@code mtcnn}, are skipped)
     * @param names the bundles (folder names in the store) to serve; empty: every bundle in the store,
     *     including ones added while running
     * @param defaultModel {@code age.models.default}: the model used when a request names none; empty: the
     *     first of {@code names}, or the first bundle of the store in name order
     * @param watch hot reload from the store
     */
    public record Models(
            @NotNull @DefaultValue("model-store") Path store,
            List<String> names,
            @Name("default") String defaultModel,
            @Valid @NotNull @DefaultValue Watch watch) {

        public Models {
            names = names == null ? List.of() : names.stream().filter(n -> !n.isBlank()).toList();
            defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel;
        }
    }

    /**
     * @param enabled scan the store for new or changed bundles and swap them in without a restart
     * @param interval time between scans; a bundle is loaded once two scans in a row see the same files
     */
    public record Watch(
            @DefaultValue("true") boolean enabled,
            @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("2s") Duration interval) {

        @AssertTrue(message = "interval must be at least 10ms")
        public boolean isIntervalValid() {
            return interval == null || interval.toMillis() >= 10;
        }
    }

    /**
     * @param maxBatchSize most faces in one forward pass
     * @param maxDelay the longest a forming batch waits for more faces after its first one
     * @param queueCapacity most faces waiting; beyond it requests get 429
     * @param requestTimeout each request's deadline; past it the request gets 504
     * @param retryAfter the {@code Retry-After} sent with 429
     * @param tuneBatchSize measure each model when it loads and serve with the batch size (at most
     *     {@code maxBatchSize}) that costs least per face on this machine
     * @param workerRestartDelay how long a model's inference worker that died of an Error stays down before it restarts
     */
    public record Batching(
            @Min(1) @Max(1024) @DefaultValue("32") int maxBatchSize,
            @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("5ms") Duration maxDelay,
            @Min(1) @Max(100_000) @DefaultValue("256") int queueCapacity,
            @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("5s") Duration requestTimeout,
            @NotNull @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("1s") Duration retryAfter,
            @DefaultValue("true") boolean tuneBatchSize,
            @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("1s") Duration workerRestartDelay) {

        @AssertTrue(message = "max-delay must be between 0 and 1s")
        public boolean isMaxDelayValid() {
            return maxDelay == null || (!maxDelay.isNegative() && maxDelay.compareTo(Duration.ofSeconds(1)) <= 0);
        }

        @AssertTrue(message = "request-timeout must be positive")
        public boolean isRequestTimeoutValid() {
            return requestTimeout == null || (!requestTimeout.isNegative() && !requestTimeout.isZero());
        }

        @AssertTrue(message = "worker-restart-delay must not be negative")
        public boolean isWorkerRestartDelayValid() {
            return workerRestartDelay == null || !workerRestartDelay.isNegative();
        }
    }

    /**
     * @param maxImageSize largest upload (multipart file or raw body); larger gets 413
     * @param maxPixels largest width × height, read from the header before decoding; larger gets 413
     * @param minImageSide smallest width or height accepted
     * @param maxFaces the largest {@code maxFaces} a request may ask for
     * @param maxInFlight requests inside the pipeline at once; one more gets 429 at once instead of waiting
     *     in front of the busy cores past its deadline
     * @param maxBatchImages most {@code image} parts in one {@code POST /v1/age/batch}
     */
    public record Limits(
            @NotNull @DataSizeUnit(DataUnit.MEGABYTES) @DefaultValue("10MB") DataSize maxImageSize,
            @Min(1) @DefaultValue("40000000") long maxPixels,
            @Min(1) @DefaultValue("16") int minImageSide,
            @Min(1) @Max(1000) @DefaultValue("100") int maxFaces,
            @Min(1) @Max(100_000) @DefaultValue("64") int maxInFlight,
            @Min(1) @Max(256) @DefaultValue("16") int maxBatchImages) {

        @AssertTrue(message = "max-image-size must be positive")
        public boolean isMaxImageSizeValid() {
            return maxImageSize == null || maxImageSize.toBytes() > 0;
        }
    }

    /**
     * Admission at the door (before the body is read), up to {@code age.limits.max-in-flight} requests inside.
     *
     * @param adaptive shrink the in-flight limit to what finishes within {@code targetLatency} at the
     *     throughput measured now (Little's law), and by 10% on each 504 or full queue; false: the limit is
     *     {@code max-in-flight}
     * @param targetLatency the time inside the pipeline the adaptive limit aims for; the rest of
     *     {@code age.batching.request-timeout} is left for waiting in the backlog and for slow outliers
     * @param minInFlight the adaptive limit never goes below this
     * @param backlog requests that may wait for a place (newest first) while the limit is reached; a request
     *     waits only while it can still be answered within its deadline, and gets 429 when it cannot or the
     *     backlog is full
     */
    public record Admission(
            @DefaultValue("true") boolean adaptive,
            @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("1s") Duration targetLatency,
            @Min(1) @Max(100_000) @DefaultValue("2") int minInFlight,
            @Min(0) @Max(100_000) @DefaultValue("256") int backlog) {

        @AssertTrue(message = "target-latency must be positive")
        public boolean isTargetLatencyValid() {
            return targetLatency == null || (!targetLatency.isNegative() && !targetLatency.isZero());
        }
    }

    /**
     * @param defaultAlign {@code align} when a request gives none
     * @param defaultMaxFaces {@code maxFaces} when a request gives none
     * @param minFaceSize {@code minFaceSize} when a request gives none, in pixels
     * @param concurrency photos decoded/detected/aligned at once on request threads (0: the number of cores)
     * @param boxMargin share of the box side added on each side of a detected box for {@code align=box}
     *     (0: on UTKFace the detector's square box frames a face as the training crops do)
     * @param enabled load MTCNN (false: only {@code align=none} is served)
     * @param refindInCrops {@code align=none} on a model trained on aligned faces first looks for the crop's own
     *     face and warps it onto the template (false: every crop is resized as sent, no detection)
     * @param mtcnnDir folder with pnet/rnet/onet.tflite (fetched by the build)
     */
    public record Detection(
            @NotNull @DefaultValue("mtcnn") Align defaultAlign,
            @Min(1) @DefaultValue("10") int defaultMaxFaces,
            @Min(FaceDetector.MIN_FACE_SIZE) @Max(FaceDetector.MAX_FACE_SIZE) @DefaultValue("" + FaceDetector.DEFAULT_MIN_FACE_SIZE) int minFaceSize,
            @Min(0) @Max(1024) @DefaultValue("0") int concurrency,
            @DecimalMin("0") @DecimalMax("2") @DefaultValue("0") double boxMargin,
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean refindInCrops,
            @NotNull @DefaultValue(Mtcnn.DEFAULT_DIR_NAME) Path mtcnnDir) {

        /** The concurrency in effect. */
        public int effectiveConcurrency() {
            return concurrency == 0 ? Runtime.getRuntime().availableProcessors() : concurrency;
        }
    }

    /**
     * How {@code POST /v1/age?minimumAge=T} decides (see {@link AgeCheck}); the defaults come from
     * docs/age-checks.md, made by the {@code agecheck} profile.
     *
     * @param rule {@code estimate} (pass when ŷ ≥ T + buffer) or {@code probability} (pass when P(age ≥ T) ≥
     *     {@code pass-probability})
     * @param defaultBuffer the buffer, in years, of requests that give none: the smallest whose false pass
     *     rate for 13–17-year-olds at T = 18 was at most 2% on every evaluation set
     * @param passProbability P(age ≥ T) a face needs to pass under the {@code probability} rule
     * @param failProbability P(age ≥ T) at or under which a face fails, under either rule
     */
    public record Check(
            @NotNull @DefaultValue("estimate") AgeCheck.Rule rule,
            @DecimalMin("0") @DecimalMax("30") @DefaultValue("23") double defaultBuffer,
            @DecimalMin(value = "0.5", inclusive = false) @DecimalMax("1") @DefaultValue("0.95") double passProbability,
            @DecimalMin("0") @DecimalMax(value = "0.5", inclusive = false) @DefaultValue("0.05") double failProbability) {

        /** The configured rule at threshold T with the given buffer (null: the default one). */
        public AgeCheck at(double minimumAge, Double buffer) {
            return new AgeCheck(minimumAge, buffer == null ? defaultBuffer : buffer, rule, passProbability, failProbability);
        }
    }
}
