package org.dldlage.train.cli;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;

/**
 * One labelled set of a multi-set run ({@code --train.sets[i].*}).
 *
 * @param name the set's short name in logs, reports and the bundle (e.g. {@code utkface})
 * @param data its folder, in either layout {@code data.TrainingData} reads
 * @param weight how many times per epoch each of its training images is drawn on average (default 1)
 * @param licence the set's terms, which the weights inherit (stated in the bundle; none given: said so)
 */
public record TrainDataSet(@NotBlank String name, @NotNull Path data, @Positive Double weight, String licence) {

    public TrainDataSet {
        weight = weight == null ? 1 : weight;
    }
}
