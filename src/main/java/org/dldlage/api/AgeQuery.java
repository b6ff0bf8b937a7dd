package org.dldlage.api;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

/** The query options of {@code POST /v1/age}; absent ones take the configured defaults. */
record AgeQuery(
        @Parameter(description = "How faces are found: mtcnn (detect + landmark alignment), box (detector box only),"
                + " none (the image is one face crop: a model trained on aligned faces finds the crop's own face in it and"
                + " warps it as mtcnn does, else the crop is resized; each face's alignment says which); default: the"
                + " configured one (age.detection.default-align)",
                schema = @Schema(allowableValues = {"mtcnn", "box", "none"}))
        String align,
        @Parameter(description = "Most faces estimated, largest first (default and largest value: as configured,"
                + " age.detection.default-max-faces and age.limits.max-faces)", schema = @Schema(type = "integer", minimum = "1"))
        Integer maxFaces,
        @Parameter(description = "Smallest face side looked for, in pixels (default: age.detection.min-face-size)",
                schema = @Schema(type = "integer"))
        Integer minFaceSize,
        @Parameter(description = "Average each face with its mirror image (the paper's test-time augmentation)",
                schema = @Schema(type = "boolean", defaultValue = "true"))
        Boolean flip,
        @Parameter(description = "Include the full label distribution p̂",
                schema = @Schema(type = "boolean", defaultValue = "true"))
        Boolean distribution,
        @Parameter(description = "The served model to use (see GET /v1/models); absent: the default model."
                + " An unknown name gets 404 unknown-model listing the served names")
        String model,
        @Parameter(description = "Age check: the threshold T in whole years (1..100). Each face then gets probabilityAtLeast"
                + " (P(age ≥ T) from p̂) and a decision pass / refer / fail; the answer's ageCheck names the rule"
                + " (see docs/age-checks.md for its error rates per age band)",
                schema = @Schema(type = "integer", minimum = "1", maximum = "100", example = "18"))
        Integer minimumAge,
        @Parameter(description = "Age check: years above T the estimate must reach to pass (0..30; default: the configured"
                + " age.check.default-buffer, chosen in docs/age-checks.md). Needs minimumAge",
                schema = @Schema(type = "number", minimum = "0", maximum = "30"))
        Double buffer) {}
