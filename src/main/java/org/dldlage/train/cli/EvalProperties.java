package org.dldlage.train.cli;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The evaluate profile's options ({@code --eval.*}).
 *
 * @param model the bundle folder
 * @param data the image folder
 * @param labels CSV with a header and at least file,age (default DATA/labels.csv)
 * @param split keep only rows of this split when the CSV has a split column
 * @param flip average each image with its mirror
 * @param sigma σ for the ε-error of images whose labels give none (NaN leaves them out)
 * @param predictions optional CSV of per-image predictions
 * @param align {@code none} (the images are face crops), {@code box} or {@code mtcnn} (detect the largest
 *     face and align it; photos without a face are counted as noFace and left out of the error)
 * @param explain write a score-map sheet with this many faces per age group (0: none)
 * @param reportDir where the sheet goes
 */
@Validated
@ConfigurationProperties("eval")
public record EvalProperties(
        @NotNull Path model,
        @NotNull Path data,
        Path labels,
        String split,
        @DefaultValue("true") boolean flip,
        @DefaultValue("NaN") double sigma,
        Path predictions,
        @DefaultValue("none") @jakarta.validation.constraints.Pattern(regexp = "none|box|mtcnn",
                message = "must be none, box or mtcnn") String align,
        @DefaultValue("0") @jakarta.validation.constraints.Min(0) int explain,
        @DefaultValue("eval-report") Path reportDir) {

    public Path labelsFile() {
        return labels != null ? labels : data.resolve("labels.csv");
    }

    public boolean hasValidSigma() {
        return Double.isNaN(sigma) || sigma > 0;
    }
}
