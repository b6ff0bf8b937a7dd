package org.dldlage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.http.ProblemDetail;

/** The 200 answer of {@code POST /v1/age/batch}: one result per {@code image} part, in the order sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AgeBatchResponse(
        @Schema(description = "One entry per image part, in order; each has its own status") List<Item> results,
        @Schema(description = "The model that estimated the faces; absent when no image could be read") AgeResponse.ModelSummary model,
        @Schema(description = "The age check asked for with minimumAge; absent without") AgeResponse.AgeCheckSummary ageCheck,
        @Schema(description = "Milliseconds from arrival to answer for the whole request") double totalMs) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(
            @Schema(description = "The part's position among the image parts, from 0") int index,
            @Schema(description = "The part's file name, when the client sent one") String filename,
            @Schema(description = "200, or the status this image alone would have got from POST /v1/age", example = "200")
            int status,
            @Schema(description = "The faces as in POST /v1/age (status 200 only)") List<AgeResponse.FaceResult> faces,
            @Schema(description = "This image's stages (status 200 only)") AgeResponse.Timings timings,
            @Schema(description = "Why this image failed: the RFC 7807 problem POST /v1/age would have answered")
            ProblemDetail problem) {}
}
