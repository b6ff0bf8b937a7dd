package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI description behind Swagger UI documents the upload, the options, the answer and every error. */
class OpenApiDocsTest extends ServiceTestSupport {

    @Test
    void postAgeDocumentsTheUploadOptionsResponseSchemaAndErrorExamples() {
        JsonNode docs = json(http.get("/v3/api-docs").body());
        JsonNode post = docs.at("/paths/~1v1~1age/post");
        JsonNode multipart = post.at("/requestBody/content/multipart~1form-data/schema");
        JsonNode upload = multipart.has("$ref") ? docs.at("/components/schemas/AgeUpload") : multipart;
        assertThat(upload.at("/properties/image/format").asText()).isEqualTo("binary");
        assertThat(post.at("/requestBody/content").has("image/jpeg")).isTrue();
        List<String> params = new ArrayList<>();
        post.get("parameters").forEach(p -> params.add(p.get("name").asText()));
        assertThat(params).containsExactlyInAnyOrder("align", "maxFaces", "minFaceSize", "flip", "distribution", "model",
                "minimumAge", "buffer");
        JsonNode responses = post.get("responses");
        assertThat(responses.at("/200/content/application~1json/schema/$ref").asText()).endsWith("/AgeResponse");
        for (String status : new String[] {"400", "404", "413", "415", "422", "429", "503", "504"}) {
            JsonNode examples = responses.at("/" + status + "/content/application~1problem+json");
            assertThat(examples.isMissingNode()).as(status).isFalse();
            assertThat(examples.toString()).as(status).contains("\"code\"");
        }
        JsonNode face = docs.at("/components/schemas/FaceResult/properties");
        for (String field : new String[] {"box", "detectionScore", "landmarks", "age", "ageStd", "ageInterval",
                "probabilityUnder18", "distribution"}) {
            assertThat(face.has(field)).as(field).isTrue();
        }
        assertThat(docs.at("/paths/~1v1~1models/get").isMissingNode()).isFalse();
    }
}
