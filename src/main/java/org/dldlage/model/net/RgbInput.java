package org.dldlage.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The network's input block: interleaved RGB faces as the face crops are stored, N×S×S×3 (UINT8, or
 * float in 0..255), to the normalised N×3×S×S float the convolutions take, ((x / 255) − mean) / std
 * per channel. Part of the network so that training, evaluation and serving cannot normalise
 * differently; mean and std are the bundle's {@code normalization}, constants, not parameters.
 */
public final class RgbInput extends AbstractBlock {

    private final float[] mean;
    private final float[] std;

    /** @param mean per-channel mean of RGB in [0, 1]; @param std per-channel standard deviation, each > 0 */
    public RgbInput(float[] mean, float[] std) {
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("normalisation needs 3 means and 3 standard deviations (R, G, B)");
        }
        for (int c = 0; c < 3; c++) {
            if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("normalisation channel " + c + ": mean must be finite and std positive");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hwc = inputs.singletonOrThrow();
        checkLayout(hwc.getShape());
        NDManager m = hwc.getManager();
        NDArray x = hwc.toType(DataType.FLOAT32, false).div(255f).sub(m.create(mean)).div(m.create(std));
        return new NDList(x.transpose(0, 3, 1, 2)); // N×S×S×3 → N×3×S×S (a view: no copy)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        checkLayout(s);
        return new Shape[] {new Shape(s.get(0), 3, s.get(1), s.get(2))};
    }

    private static void checkLayout(Shape s) {
        if (s.dimension() != 4 || s.get(3) != 3) {
            throw new IllegalArgumentException("the network takes RGB faces as N×S×S×3, got " + s);
        }
    }
}
