package org.dldlage.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.dldlage.inference.AgeCheckRequest;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.EstimateOptions;
import org.dldlage.inference.RequestDefaults;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /v1/age/batch}: several photos in one request, one result per photo in order. A photo
 * that cannot be used gets its problem inside the list and the others still answer; what refuses the
 * whole request (options, model, limits, overload, deadline) is an ordinary problem answer.
 */
@RestController
@RequestMapping("/v1")
@Tag(name = "age")
@WhenServing
record AgeBatchController(AgeService service, ApiLimits limits, RequestDefaults defaults, AgeChecks checks,
        MeterRegistry registry) {

    @PostMapping(path = "/age/batch", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Estimate the ages in several photos at once",
            description = "Send each photo as a multipart part named `image` (up to age.limits.max-batch-images, default 16)."
                    + " Same options as POST /v1/age, applied to every photo. The answer is 200 with one result per part, in"
                    + " order: status 200 with its faces, or the status and problem JSON that photo alone would have got."
                    + " The request counts once against the in-flight limit and each face against the queue; the faces of"
                    + " all photos ride the same micro-batches.",
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                    schema = @Schema(implementation = BatchUpload.class),
                    encoding = @Encoding(name = "image", contentType = ImageTypes.LIST))))
    @ApiDocs.AgeResponses
    AgeBatchResponse batch(@Parameter(hidden = true) @RequestPart(name = "image", required = false) List<MultipartFile> images,
            @ParameterObject AgeQuery query, HttpServletRequest request) throws IOException {
        long start = System.nanoTime();
        AgeCheckRequest check = checks.of(query);
        EstimateOptions options = RequestOptions.of(query, defaults);
        RequestOptions.admit(service, options, request);
        List<MultipartFile> parts = images == null ? List.of() : images;
        if (parts.isEmpty()) {
            throw new ApiProblem(ErrorCode.IMAGE_MISSING, "send one or more multipart parts named 'image'");
        }
        int max = limits.maxBatchImages();
        if (parts.size() > max) {
            throw new ApiProblem(ErrorCode.TOO_MANY_IMAGES, parts.size() + " image parts, more than the limit of " + max);
        }
        ProblemDetail[] refused = new ProblemDetail[parts.size()];
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            MultipartFile part = parts.get(i);
            long limit = limits.maxImageBytes();
            if (part.isEmpty()) {
                refused[i] = problem(ErrorCode.IMAGE_MISSING, "image part " + i + " is empty", request);
            } else if (part.getSize() > limit) {
                refused[i] = problem(ErrorCode.IMAGE_TOO_LARGE, "image part " + i + " has " + part.getSize()
                        + " bytes, more than the limit of " + limit, request);
            } else {
                photos.add(part.getBytes());
            }
        }
        List<AgeService.Part> estimated = photos.isEmpty() ? List.of() : service.estimateAll(photos, options, AdmissionValve.arrival(request));
        boolean withDistribution = query.distribution() == null || query.distribution();
        List<AgeBatchResponse.Item> items = new ArrayList<>(parts.size());
        AgeResponse.ModelSummary model = null;
        int next = 0;
        for (int i = 0; i < parts.size(); i++) {
            String name = parts.get(i).getOriginalFilename();
            name = name == null || name.isBlank() ? null : name;
            ProblemDetail problem = refused[i];
            if (problem == null) {
                AgeService.Part p = estimated.get(next++);
                if (p.failure() != null) {
                    problem = problem(ErrorCode.forImage(p.failure().reason()), p.failure().getMessage(), request);
                } else {
                    List<AgeResponse.FaceResult> faces = AgeResponse.faces(p.estimation(), withDistribution, check);
                    checks.count(check, faces);
                    model = AgeResponse.model(p.estimation());
                    items.add(new AgeBatchResponse.Item(i, name, 200, faces, AgeResponse.timings(p.estimation()), null));
                    continue;
                }
            }
            items.add(new AgeBatchResponse.Item(i, name, problem.getStatus(), null, null, problem));
        }
        return new AgeBatchResponse(items, model, AgeResponse.AgeCheckSummary.of(check),
                Math.round((System.nanoTime() - start) / 1e4) / 100.0);
    }

    /** A part's problem, as POST /v1/age would have answered it, counted in {@code age.errors}. */
    private ProblemDetail problem(ErrorCode code, String detail, HttpServletRequest request) {
        ProblemHandler.count(registry, code);
        ProblemDetail p = ApiProblem.problem(code, detail);
        p.setInstance(URI.create(request.getRequestURI()));
        return p;
    }

    /** The multipart form, for the OpenAPI description (Swagger UI shows a list of file choosers for it). */
    @Schema(name = "AgeBatchUpload")
    record BatchUpload(@ArraySchema(schema = @Schema(type = "string", format = "binary",
            description = "A photo: JPEG, PNG, BMP, GIF or WebP"), arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED))
            List<String> image) {}
}
