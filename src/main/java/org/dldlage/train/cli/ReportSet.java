package org.dldlage.train.cli;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Locale;
import org.dldlage.face.align.Align;

/**
 * One labelled set a bundle is reported on ({@code --report.sets[i].*}), through the service's
 * {@code align=mtcnn} path (photos) or its {@code align=none} path (the images are face crops, resized).
 *
 * @param name the set's short name (e.g. {@code appa-real})
 * @param images the image folder
 * @param labels CSV with at least file (or filename) and age; optional std, split, gender, race
 * @param split keep only rows of this split (null: every row)
 * @param role {@code val} (the default; the calibration is fitted on the {@code align=mtcnn} ones), {@code test} or
 *     {@code cross} (never trained on)
 * @param licence the set's terms, stated in the report
 * @param align {@code mtcnn} (the default) or {@code none}
 */
public record ReportSet(@NotBlank String name, @NotNull Path images, @NotNull Path labels, String split, Role role,
        String licence, Align align) {

    /** What a set is to the bundle. */
    public enum Role {
        VAL, TEST, CROSS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReportSet {
        role = role == null ? Role.VAL : role;
        licence = licence == null ? "see the data set's terms" : licence;
        align = align == null ? Align.MTCNN : align;
    }

    @AssertTrue(message = "align must be mtcnn or none")
    public boolean isAlignValid() {
        return align != Align.BOX;
    }

    public boolean crops() {
        return align == Align.NONE;
    }
}
