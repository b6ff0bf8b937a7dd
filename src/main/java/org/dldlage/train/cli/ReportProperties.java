package org.dldlage.train.cli;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The report profile's options ({@code --report.*}).
 *
 * @param model the bundle folder; its report.md and model.json metrics are rewritten
 * @param sets the sets to score, each through MTCNN and the bundle's template
 * @param calibrate fit the temperature on the {@code val} sets (pooled) and store it in the bundle
 * @param sigma σ for the ε-error of images whose labels give none
 * @param cacheDir the detection cache (default ~/.cache/dldl-age, as the trainer's)
 */
@Validated
@ConfigurationProperties("report")
public record ReportProperties(
        @NotNull Path model,
        @NotEmpty List<@Valid ReportSet> sets,
        @DefaultValue("true") boolean calibrate,
        @DefaultValue("2") @Positive double sigma,
        Path cacheDir) {}
