package org.dldlage.train.cli;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The agecheck profile's options ({@code --agecheck.*}).
 *
 * @param model the bundle folder
 * @param data the folder holding the evaluation sets (each {@code NAME/labels.csv} with its images in
 *     {@code NAME/images})
 * @param sets {@code NAME:SPLIT} of each set, in report order, or {@code NAME:SPLIT:ALIGN} to score that set
 *     with another alignment than {@code align}
 * @param align {@code mtcnn} (the service's default path: detect the largest face and align it; photos
 *     without a face count as refer), {@code box} or {@code none} (the crops as the sets ship them)
 * @param flip mirror averaging, as the service does by default
 * @param thresholds the minimum ages T reported
 * @param buffers the buffers swept, in years; the default buffer is the smallest that meets the target
 * @param shownBuffers the buffers drawn in the picture and given band tables (with the default buffer)
 * @param targetFalsePass the largest false pass rate for 13–17 at T = 18 the default buffer may have on any set
 * @param output the folder that gets age-checks.md, age-checks.png and age-checks.json
 */
@Validated
@ConfigurationProperties("agecheck")
public record AgeCheckProperties(
        @NotNull Path model,
        @NotNull @DefaultValue("../shared/data") Path data,
        @NotEmpty @DefaultValue({"utkface:test", "appa-real:val", "aaf:val"}) List<String> sets,
        @DefaultValue("mtcnn") @Pattern(regexp = "none|box|mtcnn", message = "must be none, box or mtcnn") String align,
        @DefaultValue("true") boolean flip,
        @NotEmpty @DefaultValue({"18", "21"}) List<Integer> thresholds,
        @NotEmpty @DefaultValue({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18",
            "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30"})
        List<Double> buffers,
        @NotEmpty @DefaultValue({"0", "3", "6", "9", "12"}) List<Double> shownBuffers,
        @DefaultValue("0.02") double targetFalsePass,
        @NotNull @DefaultValue("docs") Path output) {}
