package org.dldlage.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The API's own meters that must exist before their first event (alerts read them). */
public final class ApiMeters {

    private ApiMeters() {}

    /** {@code age.errors{code}}: failed requests (and failed images of a batch) by error code. */
    static Counter errors(MeterRegistry registry, ErrorCode code) {
        return Counter.builder("age.errors").description("Failed requests (and images of a batch) by error code")
                .tag("code", code.code()).register(registry);
    }

    /** Every error code at zero. */
    public static void registerAtZero(MeterRegistry registry) {
        for (ErrorCode code : ErrorCode.values()) {
            errors(registry, code);
        }
    }
}
