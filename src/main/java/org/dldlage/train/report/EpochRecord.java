package org.dldlage.train.report;

import java.util.List;
import java.util.Map;

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
        Map<String, Double> valMaeFlipBySet) {

    /** The epoch with the lowest validation MAE with mirror averaging (the paper's test protocol); null for none. */
    public static EpochRecord best(List<EpochRecord> history) {
        EpochRecord best = null;
        for (EpochRecord r : history) {
            if (best == null || r.valMaeFlip() < best.valMaeFlip()) {
                best = r;
            }
        }
        return best;
    }
}
