package org.dldlage.config;

import org.dldlage.inference.AgeService;
import org.dldlage.inference.ModelRuntime;
import org.dldlage.model.BundleManifest;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/** {@code model} in the readiness group: UP once the model has run its warm-up pass and while not draining. */
@Component("model")
@WhenServing
class ModelHealthIndicator extends AbstractHealthIndicator {

    private final ModelRuntime runtime;
    private final AgeService service;

    ModelHealthIndicator(ModelRuntime runtime, AgeService service) {
        this.runtime = runtime;
        this.service = service;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("bundle", runtime.path().toString()).withDetail("state", runtime.state().name());
        builder.withDetail("detector", service.hasDetector());
        BundleManifest m = runtime.manifest();
        if (m != null) {
            builder.withDetail("name", m.name()).withDetail("architecture", m.architecture())
                    .withDetail("device", runtime.deviceName());
        }
        if (runtime.ready() && !service.draining()) {
            builder.up();
        } else {
            builder.outOfService();
        }
    }
}
