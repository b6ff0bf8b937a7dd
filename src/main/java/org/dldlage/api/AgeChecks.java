package org.dldlage.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.dldlage.app.AgeProperties;
import org.dldlage.app.WhenServing;
import org.dldlage.core.AgeCheck;
import org.springframework.stereotype.Component;

/**
 * The age check a request asks for ({@code minimumAge}, {@code buffer}) under the configured rule
 * ({@code age.check.*}), and {@code age.check.decisions}: faces decided, by decision and threshold.
 */
@Component
@WhenServing
class AgeChecks {

    static final double MAX_BUFFER = 30;

    private final AgeProperties.Check config;
    private final MeterRegistry registry;

    AgeChecks(AgeProperties properties, MeterRegistry registry) {
        this.config = properties.check();
        this.registry = registry;
    }

    /** The request's check, or null when it asks none; bad values are 422 invalid-parameter. */
    AgeCheck of(AgeQuery q) {
        if (q.minimumAge() == null) {
            if (q.buffer() != null) {
                throw new ApiProblem(ErrorCode.INVALID_PARAMETER, "buffer needs minimumAge (the threshold it is added to)");
            }
            return null;
        }
        // whole years from 1 to 100: the label range, and a bounded set of values for the meter's tag
        if (q.minimumAge() < 1 || q.minimumAge() > 100) {
            throw new ApiProblem(ErrorCode.INVALID_PARAMETER, "minimumAge must be between 1 and 100 years, got " + q.minimumAge());
        }
        if (q.buffer() != null && !(q.buffer() >= 0 && q.buffer() <= MAX_BUFFER)) {
            throw new ApiProblem(ErrorCode.INVALID_PARAMETER, "buffer must be between 0 and 30 years, got " + q.buffer());
        }
        return config.at(q.minimumAge(), q.buffer());
    }

    /** Counts the faces' decisions. */
    void count(AgeCheck check, List<AgeResponse.FaceResult> faces) {
        if (check == null) {
            return;
        }
        String threshold = String.valueOf((int) check.minimumAge());
        for (AgeResponse.FaceResult f : faces) {
            Counter.builder("age.check.decisions").description("Faces decided by an age check, by decision and threshold T")
                    .baseUnit("faces").tag("decision", f.decision()).tag("minimum_age", threshold).register(registry)
                    .increment();
        }
    }
}
