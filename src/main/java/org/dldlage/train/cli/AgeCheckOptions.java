package org.dldlage.train.cli;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.DoubleStream;
import org.dldlage.face.align.Align;

/**
 * The agecheck profile's options ({@code --agecheck.*}); null takes the default.
 *
 * @param model the bundle folder
 * @param data the folder holding the evaluation sets (each {@code NAME/labels.csv} with its images in
 *     {@code NAME/images}; default {@code ../shared/data})
 * @param sets {@code NAME:SPLIT} of each set, in report order, or {@code NAME:SPLIT:ALIGN} to score that set
 *     with another alignment than {@code align} (default utkface:test, appa-real:val, aaf:val)
 * @param align {@code mtcnn} (the default, the service's default path: detect the largest face and align it;
 *     photos without a face count as refer), {@code box} or {@code none} (the crops as the sets ship them)
 * @param flip mirror averaging, as the service does by default (default true)
 * @param thresholds the minimum ages T reported (default 18, 21)
 * @param buffers the buffers swept, in years (default 0 to 30 by 1); the default buffer is the smallest that meets
 *     the target
 * @param shownBuffers the buffers drawn in the picture and given band tables, with the default buffer (default 0, 3,
 *     6, 9, 12)
 * @param targetFalsePass the largest false pass rate for 13–17 at T = 18 the default buffer may have on any set
 *     (default 0.02)
 * @param output the folder that gets age-checks.md, age-checks.png and age-checks.json (default {@code docs})
 */
public record AgeCheckOptions(
        @NotNull Path model,
        Path data,
        @NotEmpty List<String> sets,
        Align align,
        Boolean flip,
        @NotEmpty List<Integer> thresholds,
        @NotEmpty List<Double> buffers,
        @NotEmpty List<Double> shownBuffers,
        Double targetFalsePass,
        Path output) {

    public AgeCheckOptions {
        data = data == null ? Path.of("../shared/data") : data;
        sets = sets == null ? List.of("utkface:test", "appa-real:val", "aaf:val") : sets;
        align = align == null ? Align.MTCNN : align;
        flip = flip == null || flip;
        thresholds = thresholds == null ? List.of(18, 21) : thresholds;
        buffers = buffers == null ? DoubleStream.iterate(0, b -> b <= 30, b -> b + 1).boxed().toList() : buffers;
        shownBuffers = shownBuffers == null ? List.of(0.0, 3.0, 6.0, 9.0, 12.0) : shownBuffers;
        targetFalsePass = targetFalsePass == null ? 0.02 : targetFalsePass;
        output = output == null ? Path.of("docs") : output;
    }

    /** What the annotations cannot say: the data folder exists, buffers are ≥ 0 and thresholds 1..100. */
    public void check() {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("agecheck.data " + data + " is not a folder");
        }
        if (buffers.stream().anyMatch(b -> !(b >= 0)) || thresholds.stream().anyMatch(t -> t < 1 || t > 100)) {
            throw new IllegalArgumentException("agecheck.buffers must be ≥ 0 and agecheck.thresholds between 1 and 100");
        }
    }
}
