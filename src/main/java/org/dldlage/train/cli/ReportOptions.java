package org.dldlage.train.cli;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.util.List;

/**
 * The report profile's options ({@code --report.*}); null takes the default.
 *
 * @param model the bundle folder; its report.md and model.json metrics are rewritten
 * @param sets the sets to score, each through MTCNN and the bundle's template
 * @param calibrate fit the temperature on the {@code val} sets (pooled) and store it in the bundle (default true)
 * @param sigma σ for the ε-error of images whose labels give none (default 2)
 * @param cacheDir the detection cache (default ~/.cache/dldl-age, as the trainer's)
 */
public record ReportOptions(
        @NotNull Path model,
        @NotEmpty List<@Valid ReportSet> sets,
        Boolean calibrate,
        @Positive Double sigma,
        Path cacheDir) {

    public ReportOptions {
        calibrate = calibrate == null || calibrate;
        sigma = sigma == null ? 2 : sigma;
    }
}
