package org.dldlage.train.loop;

/**
 * One epoch's numbers for {@code metrics.json}: mean training loss and validation metrics with and
 * without mirror averaging (in a multi-set run: the means over the sets, and each set's MAE with mirror).
 */
public record EpochRecord(
        int epoch,
        double learningRate,
        double trainLoss,
        double valMae,
        double valMaeFlip,
        double valEpsilonError,
        double valEpsilonErrorFlip,
        double valCs5,
        double valCs5Flip,
        double seconds,
        double imagesPerSecond,
        java.util.Map<String, Double> valMaeFlipBySet) {}
