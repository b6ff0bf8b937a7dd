package org.dldlage.api;

import io.micrometer.core.instrument.MeterRegistry;
import org.dldlage.inference.Admission;
import org.dldlage.inference.PipelineMeters;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Puts {@link AdmissionValve} first in Tomcat's engine pipeline. */
@Component
@WhenServing
class AdmissionValveInstaller implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final Admission admission;
    private final PipelineMeters meters;
    private final ApiLimits limits;
    private final MeterRegistry registry;

    AdmissionValveInstaller(Admission admission, PipelineMeters meters, ApiLimits limits, MeterRegistry registry) {
        this.admission = admission;
        this.meters = meters;
        this.limits = limits;
        this.registry = registry;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addEngineValves(new AdmissionValve(admission, meters.refusedAtAdmission(),
                RequestMetricsFilter.timer(registry, ErrorCode.OVERLOADED.code(), "none"), limits.retryAfter(),
                limits.maxInFlight()));
    }
}
