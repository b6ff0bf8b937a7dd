package org.dldlage.model.method;

import ai.djl.ndarray.NDArray;
import org.dldlage.core.LabelSpace;

/**
 * Ranking (Sec. 3.2): K−1 binary classifiers "is y > l_k?" trained with sigmoid cross-entropy;
 * age = l_0 + Δl·Σ_k σ(x_k). Its outputs approximate 1 − T·p, a c.d.f. (eq. 6).
 */
public final class Ranking implements TrainingMethod {

    private final LabelSpace space;

    public Ranking(LabelSpace space) {
        this.space = space;
    }

    @Override
    public String id() {
        return "ranking";
    }

    @Override
    public int outputs() {
        return space.size() - 1;
    }

    @Override
    public NDArray decode(NDArray logits) {
        return ai.djl.nn.Activation.sigmoid(logits).sum(new int[] {1}).mul((float) space.step()).add((float) space.min());
    }

    @Override
    public NDArray loss(NDArray logits, NDArray ages, NDArray sigmas) {
        NDArray t = Targets.ranking(Targets.labels(logits.getManager(), space), ages);
        // numerically stable BCE with logits: max(x, 0) − x·t + ln(1 + e^−|x|)
        NDArray bce = logits.maximum(0).sub(logits.mul(t)).add(logits.abs().neg().exp().add(1).log());
        return bce.sum(new int[] {1}).mean();
    }
}
