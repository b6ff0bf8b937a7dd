package org.dldlage.model.method;

import ai.djl.ndarray.NDArray;

/**
 * One way to learn age from a network's outputs: how many outputs it needs, its loss and how the
 * outputs decode to an age. The six methods of the paper's Table 3 implement it.
 */
public interface TrainingMethod {

    /** The name used in configuration and manifests, e.g. {@code dldl-v2}. */
    String id();

    /** How many outputs the network's last layer has. */
    int outputs();

    /**
     * The mean loss over a batch.
     *
     * @param logits N×outputs network outputs
     * @param ages N true ages
     * @param sigmas N per-image σ (used by the distribution methods)
     */
    NDArray loss(NDArray logits, NDArray ages, NDArray sigmas);

    /** N×outputs → N predicted ages. */
    NDArray decode(NDArray logits);

    /** Whether {@link #labelDistribution} is defined (the softmax methods). */
    default boolean predictsDistribution() {
        return false;
    }

    /** N×outputs → N×K predicted label distribution p̂ (eq. 7). */
    default NDArray labelDistribution(NDArray logits) {
        throw new UnsupportedOperationException(id() + " does not predict a label distribution");
    }
}
