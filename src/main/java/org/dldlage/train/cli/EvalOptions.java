package org.dldlage.train.cli;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dldlage.face.align.Align;

/**
 * The evaluate profile's options ({@code --eval.*}); null takes the default.
 *
 * @param model the bundle folder
 * @param data the image folder
 * @param labels CSV with a header and at least file,age (default DATA/labels.csv)
 * @param split keep only rows of this split when the CSV has a split column
 * @param flip average each image with its mirror (default true)
 * @param sigma σ for the ε-error of images whose labels give none (default NaN: they are left out)
 * @param predictions optional CSV of per-image predictions
 * @param align {@code none} (the default: the images are face crops), {@code box} or {@code mtcnn} (detect the
 *     largest face and align it; photos without a face are counted as noFace and left out of the error)
 * @param explain write a score-map sheet with this many faces per age group (0: none)
 * @param reportDir where the sheet goes (default {@code eval-report})
 */
public record EvalOptions(
        @NotNull Path model,
        @NotNull Path data,
        Path labels,
        String split,
        Boolean flip,
        Double sigma,
        Path predictions,
        Align align,
        @Min(0) int explain,
        Path reportDir) {

    public EvalOptions {
        flip = flip == null || flip;
        sigma = sigma == null ? Double.NaN : sigma;
        align = align == null ? Align.NONE : align;
        reportDir = reportDir == null ? Path.of("eval-report") : reportDir;
    }

    public Path labelsFile() {
        return labels != null ? labels : data.resolve("labels.csv");
    }

    /** What the annotations cannot say: σ is NaN or positive, and the image folder exists. */
    public void check() {
        if (!(Double.isNaN(sigma) || sigma > 0)) {
            throw new IllegalArgumentException("eval.sigma must be positive, got " + sigma);
        }
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("eval.data " + data + " is not a folder");
        }
    }
}
