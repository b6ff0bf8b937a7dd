package org.dldlage.model.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.dldlage.core.LabelSpace;

/** DEX (Rothe et al.): softmax cross-entropy on the one-hot label nearest to y; age = expectation. */
public final class Dex extends SoftmaxMethod {

    public Dex(LabelSpace space) {
        super(space);
    }

    @Override
    public String id() {
        return "dex";
    }

    @Override
    public NDArray loss(NDArray logits, NDArray ages, NDArray sigmas) {
        NDArray bins = ages.sub((float) space.min()).div((float) space.step()).round()
                .clip(0, space.size() - 1).toType(DataType.INT64, false);
        NDArray oneHot = bins.oneHot(space.size()).toType(DataType.FLOAT32, false);
        return oneHot.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg().mean();
    }
}
