package org.dldlage.app.lifecycle;

import org.dldlage.api.WhenServing;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.registry.ModelRegistry;
import org.dldlage.inference.registry.ModelRuntime;
import org.dldlage.model.bundle.BundleManifest;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code model} in the readiness group: UP once the default model has run its warm-up pass and while
 * not draining. The other models' states are details: one failed or loading model does not take the
 * instance out of service.
 */
@Component("model")
@WhenServing
class ModelHealthIndicator extends AbstractHealthIndicator {

    private final ModelRegistry registry;
    private final AgeService service;

    ModelHealthIndicator(ModelRegistry registry, AgeService service) {
        this.registry = registry;
        this.service = service;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ModelRuntime runtime = registry.runtime(null);
        builder.withDetail("default", registry.defaultName()).withDetail("state", registry.state(null).name());
        builder.withDetail("detector", service.hasDetector());
        BundleManifest m = runtime == null ? null : runtime.manifest();
        if (m != null) {
            builder.withDetail("bundle", runtime.path().toString()).withDetail("name", runtime.name())
                    .withDetail("version", runtime.version()).withDetail("architecture", m.architecture())
                    .withDetail("device", runtime.deviceName());
        }
        Map<String, String> models = new LinkedHashMap<>();
        registry.models().forEach(s -> models.put(s.name(), s.state().name()));
        builder.withDetail("models", models);
        if (registry.defaultReady() && !service.draining()) {
            builder.up();
        } else {
            builder.outOfService();
        }
    }
}
