package org.dldlage.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (β1 0.9, β2 0.999, ε 1e-8, the authors' settings) over an ordered list of parameters, with
 * state that can be saved and restored so that a resumed run continues exactly where it stopped.
 * DJL's own Adam keys its moments by random parameter ids, which do not survive a restart.
 */
final class AdamState {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private List<NDArray> weights;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private long step;

    AdamState(List<NDArray> weights, NDManager manager) {
        this.weights = weights;
        for (NDArray w : weights) {
            means.add(manager.zeros(w.getShape(), w.getDataType()));
            variances.add(manager.zeros(w.getShape(), w.getDataType()));
        }
    }

    /** Points the state at new parameter arrays (after parameters were reloaded), same order and shapes. */
    void rebind(List<NDArray> newWeights) {
        if (newWeights.size() != weights.size()) {
            throw new IllegalStateException("expected " + weights.size() + " parameters, got " + newWeights.size());
        }
        this.weights = newWeights;
    }

    /** One update of every weight from its gradient, then the gradients are zeroed. */
    void update(float learningRate) {
        step++;
        double coef1 = 1 - Math.pow(BETA1, step);
        double coef2 = 1 - Math.pow(BETA2, step);
        float corrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            try (NDArray grad = w.getGradient()) {
                w.getNDArrayInternal().adamUpdate(
                        new NDList(w, grad, means.get(i), variances.get(i)), new NDList(w),
                        learningRate, corrected, 0f, 1f, -1f, BETA1, BETA2, EPSILON, true, false);
                // PyTorch accumulates gradients; DJL 0.25 no longer zeroes them per collector
                grad.subi(grad);
            }
        }
    }

    long step() {
        return step;
    }

    void save(DataOutputStream out) throws IOException {
        out.writeLong(step);
        out.writeInt(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            write(out, means.get(i));
            write(out, variances.get(i));
        }
    }

    void load(DataInputStream in) throws IOException {
        step = in.readLong();
        int n = in.readInt();
        if (n != weights.size()) {
            throw new IOException("optimizer state holds " + n + " parameters, the network has " + weights.size());
        }
        for (int i = 0; i < n; i++) {
            read(in, means.get(i));
            read(in, variances.get(i));
        }
    }

    private static void write(DataOutputStream out, NDArray a) throws IOException {
        float[] v = a.toFloatArray();
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static void read(DataInputStream in, NDArray into) throws IOException {
        int n = in.readInt();
        if (n != into.size()) {
            throw new IOException("optimizer state has " + n + " values for a parameter of " + into.size());
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        into.set(v);
    }
}
