package org.dldlage.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.dldlage.core.LabelSpace;

/** DEX (Rothe et al.): softmax cross-entropy on the one-hot label nearest to y; age = expectation. */
public final class Dex implements TrainingMethod {

    private final LabelSpace space;

    public Dex(LabelSpace space) {
        this.space = space;
    }

    @Override
    public String id() {
        return "dex";
    }

    @Override
    public int outputs() {
        return space.size();
    }

    @Override
    public boolean predictsDistribution() {
        return true;
    }

    @Override
    public NDArray labelDistribution(NDArray logits) {
        return logits.softmax(1);
    }

    @Override
    public NDArray decode(NDArray logits) {
        return LabelDistributionLearning.expectation(labelDistribution(logits), Targets.labels(logits.getManager(), space));
    }

    @Override
    public NDArray loss(NDArray logits, NDArray ages, NDArray sigmas) {
        NDArray bins = ages.sub((float) space.min()).div((float) space.step()).round()
                .clip(0, space.size() - 1).toType(DataType.INT64, false);
        NDArray oneHot = bins.oneHot(space.size()).toType(DataType.FLOAT32, false);
        return oneHot.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg().mean();
    }
}
