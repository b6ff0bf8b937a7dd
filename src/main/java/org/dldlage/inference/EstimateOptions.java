package org.dldlage.inference;

import org.dldlage.face.align.Align;

/**
 * A request's options.
 *
 * @param align how faces are found and cut out
 * @param maxFaces the most faces estimated (largest first)
 * @param minFaceSize the smallest face side looked for, in pixels
 * @param flip average each face with its mirror image (the paper's test-time augmentation)
 * @param model the served model's name, or null for the default one
 * @param explain also compute each face's age score map (paper Sec. 4.6)
 */
public record EstimateOptions(Align align, int maxFaces, int minFaceSize, boolean flip, String model, boolean explain) {

    /** An estimate without score maps. */
    public EstimateOptions(Align align, int maxFaces, int minFaceSize, boolean flip, String model) {
        this(align, maxFaces, minFaceSize, flip, model, false);
    }

    /** The same request, with score maps. */
    public EstimateOptions explained() {
        return new EstimateOptions(align, maxFaces, minFaceSize, flip, model, true);
    }
}
