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
record AdmissionValveInstaller(Admission admission, PipelineMeters meters, ApiLimits limits, MeterRegistry registry)
        implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addEngineValves(new AdmissionValve(admission,
                meters.refusedAtAdmission(), RequestMetricsFilter.timer(registry, ErrorCode.OVERLOADED.code(), "none"),
                meters.refusedWhileDraining(), RequestMetricsFilter.timer(registry, ErrorCode.DRAINING.code(), "none"),
                limits.retryAfter(), limits.maxInFlight()));
    }
}
