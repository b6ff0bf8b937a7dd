package org.dldlage.api;

import java.time.Duration;
import java.util.List;
import org.dldlage.inference.registry.ModelRegistry;
import org.dldlage.inference.UnknownModelException;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * The admin side of the model store, on the management server: {@code GET /actuator/models} (as
 * {@code GET /v1/models}) and {@code POST /actuator/models} to reload now: new and changed bundles are
 * loaded, verified, warmed up and swapped in (with {@code {"name": "..."}}: that model, even if
 * unchanged). Off by default: {@code management.endpoint.models.access=unrestricted} and
 * {@code management.endpoints.web.exposure.include=...,models} turn it on.
 */
@Component
@Endpoint(id = "models", defaultAccess = Access.NONE)
@WhenServing
class ModelsEndpoint {

    /** A reload waits this long for the loads it started (they go on in the background after). */
    private static final Duration RELOAD_WAIT = Duration.ofMinutes(2);

    private final ModelRegistry registry;

    ModelsEndpoint(ModelRegistry registry) {
        this.registry = registry;
    }

    record Reloaded(List<ModelRegistry.ReloadOutcome> outcomes, List<ModelsController.ServedModel> models) {}

    @ReadOperation
    List<ModelsController.ServedModel> models() {
        return registry.models().stream().map(ModelsController::served).toList();
    }

    /** @param name a model to reload even if its files did not change; null: every new or changed bundle */
    @WriteOperation
    WebEndpointResponse<Object> reload(@Nullable String name) {
        try {
            List<ModelRegistry.ReloadOutcome> outcomes = registry.reload(name, RELOAD_WAIT);
            return new WebEndpointResponse<>(new Reloaded(outcomes, models()));
        } catch (UnknownModelException e) {
            return new WebEndpointResponse<>(java.util.Map.of("error", e.getMessage(), "models", e.available()), 404);
        }
    }
}
