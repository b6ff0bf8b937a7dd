package org.dldlage.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.dldlage.inference.AgeCheckPolicy;
import org.dldlage.inference.AgeCheckRequest;
import org.springframework.stereotype.Component;

/**
 * The age check a request asks for ({@code minimumAge}, {@code buffer}) under the configured rule
 * ({@code age.check.*}), and {@code age.check.decisions}: faces decided, by decision and threshold.
 */
@Component
@WhenServing
class AgeChecks {

    private final AgeCheckPolicy policy;
    private final MeterRegistry registry;

    AgeChecks(AgeCheckPolicy policy, MeterRegistry registry) {
        this.policy = policy;
        this.registry = registry;
    }

    /** The request's check, or null when it asks none; bad values are 422 invalid-parameter. */
    AgeCheckRequest of(AgeQuery q) {
        return policy.request(q.minimumAge(), q.buffer());
    }

    /** Counts the faces' decisions. */
    void count(AgeCheckRequest check, List<AgeResponse.FaceResult> faces) {
        if (check == null) {
            return;
        }
        String threshold = String.valueOf(check.minimumAge());
        for (AgeResponse.FaceResult f : faces) {
            Counter.builder("age.check.decisions").description("Faces decided by an age check, by decision and threshold T")
                    .baseUnit("faces").tag("decision", f.decision()).tag("minimum_age", threshold).register(registry)
                    .increment();
        }
    }
}
