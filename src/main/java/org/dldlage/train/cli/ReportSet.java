package org.dldlage.train.cli;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One labelled set a bundle is reported on ({@code --report.sets[i].*}), through the service's
 * {@code align=mtcnn} path (photos) or its {@code align=none} path (the images are face crops, resized).
 *
 * @param name the set's short name (e.g. {@code appa-real})
 * @param images the image folder
 * @param labels CSV with at least file (or filename) and age; optional std, split, gender, race
 * @param split keep only rows of this split (null: every row)
 * @param role {@code val} (the calibration is fitted on the {@code align=mtcnn} ones), {@code test} or
 *     {@code cross} (never trained on)
 * @param licence the set's terms, stated in the report
 * @param align {@code mtcnn} or {@code none}
 */
public record ReportSet(@NotBlank String name, @NotNull Path images, @NotNull Path labels, String split,
        @DefaultValue("val") @Pattern(regexp = "val|test|cross", message = "must be val, test or cross") String role,
        @DefaultValue("see the data set's terms") String licence,
        @DefaultValue("mtcnn") @Pattern(regexp = "mtcnn|none", message = "must be mtcnn or none") String align) {

    public boolean crops() {
        return "none".equals(align);
    }
}
