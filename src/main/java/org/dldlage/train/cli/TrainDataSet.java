package org.dldlage.train.cli;

import org.dldlage.train.data.TrainingData;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One labelled set of a multi-set run ({@code --train.sets[i].*}).
 *
 * @param name the set's short name in logs, reports and the bundle (e.g. {@code utkface})
 * @param data its folder, in either layout {@link TrainingData} reads
 * @param weight how many times per epoch each of its training images is drawn on average
 * @param licence the set's terms, which the weights inherit (stated in the bundle)
 */
public record TrainDataSet(@NotBlank String name, @NotNull Path data, @DefaultValue("1") @Positive double weight,
        @DefaultValue("see the data set's terms") String licence) {}
