package org.dldlage.model.method;

import ai.djl.ndarray.NDArray;
import org.dldlage.core.LabelSpace;

/**
 * MR-ℓ1 / MR-ℓ2: one output regressed onto the age with an ℓ1 or ℓ2 loss. The output is read as
 * age = centre + halfRange·x so the network works at unit scale from its zero-initialised bias.
 */
public final class Regression implements TrainingMethod {

    private final LabelSpace space;
    private final boolean l1;

    public Regression(LabelSpace space, boolean l1) {
        this.space = space;
        this.l1 = l1;
    }

    @Override
    public String id() {
        return l1 ? "mr-l1" : "mr-l2";
    }

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public NDArray decode(NDArray logits) {
        double half = (space.max() - space.min()) / 2;
        return logits.reshape(-1).mul((float) half).add((float) (space.min() + half));
    }

    @Override
    public NDArray loss(NDArray logits, NDArray ages, NDArray sigmas) {
        NDArray e = decode(logits).sub(ages);
        return l1 ? e.abs().mean() : e.square().mean();
    }
}
