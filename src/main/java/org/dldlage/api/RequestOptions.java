package org.dldlage.api;

import jakarta.servlet.http.HttpServletRequest;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.EstimateOptions;
import org.dldlage.inference.RequestDefaults;

/** A request's options, checked and completed by the service's defaults, shared by the age endpoints. */
final class RequestOptions {

    private RequestOptions() {}

    /** The query's options, checked against the limits with the configured defaults filled in (422 when out of range). */
    static EstimateOptions of(AgeQuery q, RequestDefaults defaults) {
        return defaults.resolve(q.align(), q.maxFaces(), q.minFaceSize(), q.flip(), q.model());
    }

    /** Unknown model, model not ready, draining, alignment unavailable: refused before the upload is read. */
    static void admit(AgeService service, EstimateOptions options, HttpServletRequest request) {
        String name = options.model() == null ? service.models().defaultName() : options.model();
        if (service.models().state(name) != null) { // never an unknown name: it would make a new time series per typo
            request.setAttribute(AgeController.MODEL, name);
        }
        service.checkAvailable(options);
    }
}
