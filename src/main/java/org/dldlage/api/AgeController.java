package org.dldlage.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.dldlage.inference.AgeCheckRequest;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.EstimateOptions;
import org.dldlage.inference.Estimation;
import org.dldlage.inference.RequestDefaults;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code POST /v1/age}: the ages of the faces in one photo, sent as a multipart upload or as the raw body. */
@RestController
@RequestMapping("/v1")
@Tag(name = "age", description = "Age estimation from face photos (DLDL-v2)")
@WhenServing
class AgeController {

    /** Request attribute: the model that served the request, for {@link RequestMetricsFilter}. */
    static final String MODEL = AgeController.class.getName() + ".model";

    private final AgeService service;
    private final ApiLimits limits;
    private final RequestDefaults defaults;
    private final AgeChecks checks;

    AgeController(AgeService service, ApiLimits limits, RequestDefaults defaults, AgeChecks checks) {
        this.service = service;
        this.limits = limits;
        this.defaults = defaults;
        this.checks = checks;
    }

    @PostMapping(path = "/age/explain", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.IMAGE_PNG_VALUE})
    @Operation(summary = "Explain the estimate: the age score map of each face",
            description = "Same input, options, limits and errors as POST /v1/age. With Accept: image/png the answer is the first"
                    + " face's aligned crop with the age score map S = Σ_k p̂_k A^k (paper Sec. 4.6) overlaid as a heat map with a"
                    + " legend; with Accept: application/json every face as in /v1/age plus `explanation` (the S grid and the"
                    + " overlay as base64 PNG). A photo without a face is 422 no-face for image/png, faces: [] for JSON.",
            requestBody = @RequestBody(content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = Upload.class),
                            encoding = @Encoding(name = "image", contentType = ImageTypes.LIST)),
                    @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary"))}))
    @ApiDocs.AgeResponses
    ResponseEntity<?> explainUpload(@Parameter(hidden = true) @RequestPart(name = "image", required = false) MultipartFile image,
            @ParameterObject AgeQuery query, HttpServletRequest request) throws IOException {
        Asked asked = ask(query, true, request);
        return explained(service.estimate(uploaded(image), asked.options(), AdmissionValve.arrival(request)), asked, request);
    }

    @PostMapping(path = "/age/explain", consumes = ImageTypes.ANY,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.IMAGE_PNG_VALUE})
    @Operation(hidden = true)
    ResponseEntity<?> explainRaw(HttpServletRequest request, @ParameterObject AgeQuery query) throws IOException {
        Asked asked = ask(query, true, request);
        return explained(service.estimate(body(request), asked.options(), AdmissionValve.arrival(request)), asked, request);
    }

    /** PNG of the first face when the client asks for image/png (and not JSON), else the JSON answer. */
    private ResponseEntity<?> explained(Estimation e, Asked asked, HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        boolean png = accept != null && accept.contains(MediaType.IMAGE_PNG_VALUE) && !accept.contains(MediaType.APPLICATION_JSON_VALUE);
        if (!png) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(respond(e, asked));
        }
        if (e.faces().isEmpty()) {
            throw new ApiProblem(ErrorCode.NO_FACE, "no face was found in the image to explain");
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(overlayPng(e.faces().get(0)));
    }

    @PostMapping(path = "/age", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Estimate the age of each face in a photo",
            description = "Send the photo as the multipart part `image` (or as the raw body with an image Content-Type)."
                    + " Faces are found with MTCNN unless align=none, estimated in micro-batches, and returned largest first"
                    + " with the expectation, spread, 80% interval and full distribution of the predicted ages.",
            requestBody = @RequestBody(content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = Upload.class),
                            encoding = @Encoding(name = "image", contentType = ImageTypes.LIST)),
                    @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary"))}))
    @ApiDocs.AgeResponses
    AgeResponse upload(@Parameter(hidden = true) @RequestPart(name = "image", required = false) MultipartFile image,
            @ParameterObject AgeQuery query, HttpServletRequest request) throws IOException {
        Asked asked = ask(query, false, request);
        return estimate(uploaded(image), asked, request);
    }

    private byte[] uploaded(MultipartFile image) throws IOException {
        if (image == null || image.isEmpty()) {
            throw new ApiProblem(ErrorCode.IMAGE_MISSING, "the multipart part 'image' is missing or empty");
        }
        if (image.getSize() > limits.maxImageBytes()) {
            throw tooLarge(image.getSize());
        }
        return image.getBytes();
    }

    @PostMapping(path = "/age", consumes = ImageTypes.ANY,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(hidden = true) // documented with the multipart variant above: one operation, several body types
    AgeResponse raw(HttpServletRequest request, @ParameterObject AgeQuery query) throws IOException {
        Asked asked = ask(query, false, request);
        return estimate(body(request), asked, request);
    }

    /** The raw body, refused from its declared length before a byte is read when it is too large. */
    private byte[] body(HttpServletRequest request) throws IOException {
        ImageTypes.check(request.getContentType());
        long max = limits.maxImageBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(declared); // refused before reading a byte
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (body.length > max) {
            throw tooLarge(body.length);
        }
        if (body.length == 0) {
            throw new ApiProblem(ErrorCode.IMAGE_MISSING, "the request body is empty");
        }
        return body;
    }

    /** A request's options (defaults filled in) and its age check, read once from the query. */
    private record Asked(EstimateOptions options, AgeCheckRequest check, boolean distribution) {}

    /**
     * Bad options, a bad minimumAge or buffer, an unknown model, a model not ready, draining, an alignment
     * not available: all refused before the upload is read.
     */
    private Asked ask(AgeQuery q, boolean explain, HttpServletRequest request) {
        AgeCheckRequest check = checks.of(q);
        EstimateOptions options = RequestOptions.of(q, defaults);
        options = explain ? options.explained() : options;
        RequestOptions.admit(service, options, request);
        return new Asked(options, check, q.distribution() == null || q.distribution());
    }

    private AgeResponse estimate(byte[] bytes, Asked asked, HttpServletRequest request) {
        // the deadline counts from arrival
        return respond(service.estimate(bytes, asked.options(), AdmissionValve.arrival(request)), asked);
    }

    /** The JSON answer, with the age check's decisions when the request asked for one (and counted). */
    private AgeResponse respond(Estimation e, Asked asked) {
        AgeResponse r = AgeResponse.of(e, asked.distribution(), asked.check());
        checks.count(asked.check(), r.faces());
        return r;
    }

    private ApiProblem tooLarge(long bytes) {
        return new ApiProblem(ErrorCode.IMAGE_TOO_LARGE, "the image has " + bytes + " bytes, more than the limit of "
                + limits.maxImageBytes());
    }

    private static byte[] overlayPng(Estimation.FaceAge face) {
        return face.explanation().overlayPng(face.age());
    }

    /** The multipart form, for the OpenAPI description (Swagger UI shows a file chooser for it). */
    @Schema(name = "AgeUpload")
    record Upload(@Schema(type = "string", format = "binary", description = "The photo: JPEG, PNG, BMP, GIF or WebP",
            requiredMode = Schema.RequiredMode.REQUIRED) String image) {}
}
