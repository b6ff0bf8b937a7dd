package org.dldlage.model.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.dldlage.core.LabelSpace;

/** The core package's encodings, batched on the engine. */
final class Targets {

    private Targets() {}

    /** The label vector l as a K float array. */
    static NDArray labels(NDManager manager, LabelSpace space) {
        double[] l = space.labels();
        float[] f = new float[l.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = (float) l[k];
        }
        return manager.create(f);
    }

    /** Eq. (1) normalised, per row: N ages and N σ → N×K distributions. */
    static NDArray gaussian(NDArray labels, NDArray ages, NDArray sigmas) {
        NDArray d = labels.expandDims(0).sub(ages.expandDims(1)); // N×K: l_k − y
        NDArray twoSigma2 = sigmas.square().mul(2).expandDims(1);
        // subtract the row maximum of the exponent (0 at the nearest label) so no row underflows to 0
        NDArray exponent = d.square().neg().div(twoSigma2);
        NDArray w = exponent.sub(exponent.max(new int[] {1}, true)).exp();
        return w.div(w.sum(new int[] {1}, true));
    }

    /** Ranking targets, per row: 1 where y > l_k for the first K−1 labels. */
    static NDArray ranking(NDArray labels, NDArray ages) {
        long k = labels.getShape().get(0);
        NDArray firstKm1 = labels.get("0:" + (k - 1));
        return ages.expandDims(1).gt(firstKm1.expandDims(0)).toType(DataType.FLOAT32, false);
    }
}
