package org.dldlage.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.dldlage.inference.registry.ModelRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: every served model with its state, manifest, version and memory. */
@RestController
@RequestMapping("/v1")
@Tag(name = "models", description = "The served models")
@WhenServing
class ModelsController {

    private final ModelRegistry registry;

    ModelsController(ModelRegistry registry) {
        this.registry = registry;
    }

    @Schema(description = "What the serving version costs in memory")
    record Memory(
            @Schema(description = "Bytes of its parameter tensors (weights, biases, batch-norm statistics): exact") long parameterBytes,
            @Schema(description = "Growth of the process's resident set size (VmRSS) while it loaded and ran its warm-up pass:"
                    + " parameters, engine workspace and allocator caches together; approximate, as other threads allocate"
                    + " meanwhile; absent where /proc is not available") Long residentBytes) {}

    @Schema(description = "How the serving version batches faces on this machine")
    record Batching(
            @Schema(description = "Most faces in one forward pass: the measured best, at most age.batching.max-batch-size") int maxBatchSize,
            @Schema(description = "Batch sizes measured when the version loaded (absent with age.batching.tune-batch-size=false)")
            int[] measuredSizes,
            @Schema(description = "Forward time per face at each measured size, ms (mirror-averaged, as served)") double[] msPerFace) {}

    @Schema(description = "A load that failed (verification, shapes, a missing file), or the inference worker's death")
    record Failure(String reason, Instant at) {}

    /**
     * @param name the name requests use ({@code POST /v1/age?model=NAME}): the bundle folder's name
     * @param isDefault used when a request names no model
     * @param state LOADING (no version loaded yet), READY (a version serves), FAILED (none could be loaded, or the serving
     *     version's inference worker died: until it restarts, or for good when it keeps dying)
     * @param version the serving version, counted from 1 by this process (+1 per hot reload)
     * @param device where it runs ({@code cpu} or {@code gpu:N})
     * @param manifest the bundle's {@code model.json}: architecture, parameters, input size, training data and its licence, test metrics
     */
    @Schema(name = "ServedModel")
    record ServedModel(String name, @JsonProperty("default") @Schema(name = "default") boolean isDefault, String state, Integer version,
            String device, String bundle, Instant loadedAt,
            @Schema(description = "A newer version of the bundle is being loaded; this one serves meanwhile") boolean reloading,
            @Schema(description = "The last failed load (with state READY the previous version kept serving) or, if later,"
                    + " the last death of the serving version's inference worker") Failure lastFailure,
            @Schema(description = "Requests using the serving version now") int activeRequests,
            Memory memory, Batching batching,
            @Schema(description = "The bundle's model.json", type = "object") JsonNode manifest) {}

    record Models(@Schema(description = "The default model's name") String defaultModel, List<ServedModel> models) {}

    @GetMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The served models",
            description = "Each model's state (LOADING, READY, FAILED with the reason), version, device, measured memory and"
                    + " manifest (architecture, parameter count, input size, label space, training data and its licence, test metrics)")
    Models models() {
        return new Models(registry.defaultName(), registry.models().stream().map(ModelsController::served).toList());
    }

    static ServedModel served(ModelRegistry.ModelStatus s) {
        return new ServedModel(s.name(), s.isDefault(), s.state().name(), s.version(), s.device(), s.path(), s.loadedAt(),
                s.reloading(), s.lastFailure() == null ? null : new Failure(s.lastFailure().reason(), s.lastFailure().at()),
                s.activeRequests(),
                s.memory() == null ? null : new Memory(s.memory().parameterBytes(), s.memory().rssDeltaBytes()),
                s.maxBatchSize() == 0 ? null : new Batching(s.maxBatchSize(), s.batchSizes() == null ? null : s.batchSizes().sizes(),
                        s.batchSizes() == null ? null : s.batchSizes().msPerFace()),
                s.manifestJson());
    }
}
