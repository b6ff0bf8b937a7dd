package org.dldlage.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.math.BigDecimal;
import org.dldlage.inference.RequestDefaults;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

/** The OpenAPI description served at {@code /v3/api-docs} and shown by Swagger UI at {@code /swagger-ui.html}. */
@Configuration(proxyBeanMethods = false)
@WhenServing
@OpenAPIDefinition(info = @Info(title = "dldl-age", version = "v1",
        description = "Age estimation from face photos with DLDL-v2 (Gao et al., IJCAI 2018). Errors are RFC 7807"
                + " problem documents with a stable `code`.",
        license = @License(name = "Model weights inherit the terms of their training data: see GET /v1/models")))
class ApiDocs {

    static final String PROBLEM = "application/problem+json";

    /**
     * The query options' defaults and bounds as this service is configured, so Swagger UI pre-fills what
     * a request without them gets (annotations could only state a constant).
     */
    @Bean
    OpenApiCustomizer requestDefaultsInTheDocs(RequestDefaults defaults) {
        return api -> api.getPaths().values().forEach(path -> path.readOperations().forEach(op -> {
            if (op.getParameters() == null) {
                return;
            }
            for (Parameter p : op.getParameters()) {
                @SuppressWarnings("unchecked")
                io.swagger.v3.oas.models.media.Schema<Object> schema = p.getSchema();
                if (schema == null) {
                    continue;
                }
                switch (p.getName()) {
                    case "align" -> schema.setDefault(defaults.alignId());
                    case "maxFaces" -> {
                        schema.setDefault(defaults.effectiveMaxFaces());
                        schema.setMaximum(BigDecimal.valueOf(defaults.maxFacesLimit()));
                    }
                    case "minFaceSize" -> {
                        schema.setDefault(defaults.minFaceSize());
                        schema.setMinimum(BigDecimal.valueOf(RequestDefaults.MIN_FACE_SIZE));
                        schema.setMaximum(BigDecimal.valueOf(RequestDefaults.MAX_FACE_SIZE));
                    }
                    default -> { }
                }
            }
        }));
    }

    /** The answers of {@code POST /v1/age}, each error with an example. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponses({
        @ApiResponse(responseCode = "200", description = "Ages of the faces found (faces: [] when there is none)"),
        @ApiResponse(responseCode = "400", description = "No image, or bytes that are not a readable image",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = {@ExampleObject(name = "image-unreadable", value = """
                                {"type":"urn:dldl-age:problem:image-unreadable","title":"The image cannot be read","status":400,\
                                "detail":"the bytes are not an image in a known format","instance":"/v1/age","code":"image-unreadable"}"""),
                            @ExampleObject(name = "image-missing", value = """
                                {"type":"urn:dldl-age:problem:image-missing","title":"No image was sent","status":400,\
                                "detail":"the multipart part 'image' is missing or empty","instance":"/v1/age","code":"image-missing"}""")})),
        @ApiResponse(responseCode = "404", description = "`model` names no served model; `models` lists the served names",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = @ExampleObject(value = """
                                {"type":"urn:dldl-age:problem:unknown-model","title":"No such model","status":404,\
                                "detail":"no model named 'tiny'; served models: utk-appa-aaf-tinyagenet-64","instance":"/v1/age",\
                                "code":"unknown-model","models":["utk-appa-aaf-tinyagenet-64"]}"""))),
        @ApiResponse(responseCode = "413", description = "Over the byte limit, or the header claims more pixels than the limit",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = {@ExampleObject(name = "too-many-pixels", value = """
                                {"type":"urn:dldl-age:problem:too-many-pixels","title":"The image has more pixels than the limit",\
                                "status":413,"detail":"the image is 100000×100000 = 10000000000 pixels, more than the limit of 40000000",\
                                "instance":"/v1/age","code":"too-many-pixels"}"""),
                            @ExampleObject(name = "image-too-large", value = """
                                {"type":"urn:dldl-age:problem:image-too-large","title":"The upload is larger than the limit","status":413,\
                                "detail":"the upload is larger than the limit","instance":"/v1/age","code":"image-too-large"}""")})),
        @ApiResponse(responseCode = "415", description = "Not multipart/form-data nor an image content type, or an image format that cannot be decoded",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = @ExampleObject(value = """
                                {"type":"urn:dldl-age:problem:unsupported-media-type","title":"Unsupported media type","status":415,\
                                "detail":"Content-Type text/plain is not supported: send multipart/form-data with an 'image' part, or a raw\
                                 body with Content-Type """ + ImageTypes.WORDS
                                + "\",\"instance\":\"/v1/age\",\"code\":\"unsupported-media-type\"}"))),
        @ApiResponse(responseCode = "422", description = "An invalid option value (or align=mtcnn|box without a detector)",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = @ExampleObject(value = """
                                {"type":"urn:dldl-age:problem:invalid-parameter","title":"Invalid parameter value","status":422,\
                                "detail":"maxFaces must be between 1 and 100, got 0","instance":"/v1/age","code":"invalid-parameter"}"""))),
        @ApiResponse(responseCode = "429", description = "The inference queue is full; retry after the Retry-After header's seconds",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = @ExampleObject(value = """
                                {"type":"urn:dldl-age:problem:overloaded","title":"The service is overloaded","status":429,\
                                "detail":"the inference queue is full (256 of 256 waiting)","instance":"/v1/age","code":"overloaded"}"""))),
        @ApiResponse(responseCode = "503", description = "The model is still loading, failed to load or its inference worker died (model-failed),"
                + " or the service is shutting down",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = @ExampleObject(value = """
                                {"type":"urn:dldl-age:problem:not-ready","title":"The model is not loaded yet","status":503,\
                                "detail":"the model is still loading; retry when /actuator/health/readiness is UP","instance":"/v1/age",\
                                "code":"not-ready"}"""))),
        @ApiResponse(responseCode = "504", description = "The request's deadline passed before its faces were estimated",
                content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                        examples = @ExampleObject(value = """
                                {"type":"urn:dldl-age:problem:deadline-exceeded","title":"The request's deadline passed","status":504,\
                                "detail":"the request's deadline passed after 5000 ms before its faces were estimated",\
                                "instance":"/v1/age","code":"deadline-exceeded"}""")))
    })
    @interface AgeResponses {}
}
