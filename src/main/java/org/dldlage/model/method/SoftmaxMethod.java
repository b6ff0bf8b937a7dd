package org.dldlage.model.method;

import ai.djl.ndarray.NDArray;
import org.dldlage.core.LabelSpace;

/** Methods whose K outputs are a softmax over the labels (eq. 7) and whose age is its expectation (eq. 8). */
abstract class SoftmaxMethod implements TrainingMethod {

    protected final LabelSpace space;

    SoftmaxMethod(LabelSpace space) {
        this.space = space;
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
        return expectation(labelDistribution(logits), Targets.labels(logits.getManager(), space));
    }

    /** ŷ = Σ_k p̂_k l_k for each row (eq. 8). */
    static NDArray expectation(NDArray distribution, NDArray labels) {
        return distribution.mul(labels.expandDims(0)).sum(new int[] {1});
    }
}
