package org.dldlage.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.dldlage.api.ApiMeters;
import org.dldlage.api.WhenServing;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.inference.registry.ModelRegistry;
import org.springframework.stereotype.Component;

/**
 * The counters alerts and dashboards read, registered at zero when the service starts:
 * {@code age_errors_total} for every error code and {@code age_rejections_total} for every reason and
 * served model. Without them a rate over a counter that never moved is "no data", not 0.
 */
@Component
@WhenServing
class StartupMeters implements MeterBinder {

    private final PipelineMeters meters;
    private final ModelRegistry models;

    StartupMeters(PipelineMeters meters, ModelRegistry models) {
        this.meters = meters;
        this.models = models;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ApiMeters.registerAtZero(registry);
        meters.registerAtZero(models.names());
    }
}
