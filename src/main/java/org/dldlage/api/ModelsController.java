package org.dldlage.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.dldlage.config.WhenServing;
import org.dldlage.inference.ModelRuntime;
import org.dldlage.inference.NotReadyException;
import org.dldlage.model.BundleManifest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the loaded bundle's manifest and where it runs. */
@RestController
@RequestMapping("/v1")
@Tag(name = "models", description = "The served model")
@WhenServing
class ModelsController {

    private final ModelRuntime runtime;

    ModelsController(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * @param device where the model runs ({@code cpu} or {@code gpu:N})
     * @param manifest the bundle's {@code model.json}: architecture, parameters, input size, training data and its licence, test metrics
     */
    record LoadedModel(String device, BundleManifest manifest) {}

    record Models(List<LoadedModel> models) {}

    @GetMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The loaded model's manifest",
            description = "Architecture, parameter count, input size, label space, training data and its licence, test metrics")
    @ApiDocs.NotReadyResponse
    Models models() {
        BundleManifest m = runtime.manifest();
        if (!runtime.ready() || m == null) {
            throw new NotReadyException(false);
        }
        return new Models(List.of(new LoadedModel(runtime.deviceName(), m)));
    }
}
