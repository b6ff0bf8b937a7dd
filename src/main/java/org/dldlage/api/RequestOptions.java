package org.dldlage.api;

import jakarta.servlet.http.HttpServletRequest;
import org.dldlage.app.AgeProperties;
import org.dldlage.face.align.Align;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.EstimateOptions;

/** A request's options checked against the limits with the configured defaults, shared by the age endpoints. */
final class RequestOptions {

    private RequestOptions() {}

    /** Checks the options against the limits and fills in the configured defaults. */
    static EstimateOptions of(AgeQuery q, AgeProperties properties) {
        AgeProperties.Detection d = properties.detection();
        Align align = d.defaultAlign();
        if (q.align() != null) {
            try {
                align = Align.parse(q.align());
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(ErrorCode.INVALID_PARAMETER, e.getMessage());
            }
        }
        int maxFaces = q.maxFaces() == null ? Math.min(d.defaultMaxFaces(), properties.limits().maxFaces()) : q.maxFaces();
        if (maxFaces < 1 || maxFaces > properties.limits().maxFaces()) {
            throw new ApiProblem(ErrorCode.INVALID_PARAMETER,
                    "maxFaces must be between 1 and " + properties.limits().maxFaces() + ", got " + maxFaces);
        }
        int minFaceSize = q.minFaceSize() == null ? d.minFaceSize() : q.minFaceSize();
        if (minFaceSize < 12 || minFaceSize > 10_000) {
            throw new ApiProblem(ErrorCode.INVALID_PARAMETER, "minFaceSize must be between 12 and 10000 pixels, got " + minFaceSize);
        }
        String model = q.model() == null || q.model().isBlank() ? null : q.model();
        return new EstimateOptions(align, maxFaces, minFaceSize, q.flip() == null || q.flip(), model);
    }

    /** Unknown model, model not ready, draining, alignment unavailable: refused before the upload is read. */
    static void admit(AgeService service, EstimateOptions options, HttpServletRequest request) {
        String name = options.model() == null ? service.models().defaultName() : options.model();
        if (service.models().state(name) != null) { // never an unknown name: it would make a new time series per typo
            request.setAttribute(AgeController.MODEL, name);
        }
        service.checkAvailable(options.align(), options.model());
    }
}
