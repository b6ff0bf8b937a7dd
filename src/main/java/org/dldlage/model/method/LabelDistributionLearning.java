package org.dldlage.model.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.dldlage.core.LabelSpace;

/**
 * DLDL-v2 (eq. 13): L = KL(p‖p̂) + λ·|ŷ − y| with ŷ = Σ p̂_k l_k; with λ = 0 this is DLDL (KL only).
 * p is eq. (1)'s normalised Gaussian around y with the image's σ. Age = expectation of p̂.
 */
public final class LabelDistributionLearning extends SoftmaxMethod {

    private final double lambda;

    public LabelDistributionLearning(LabelSpace space, double lambda) {
        super(space);
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    @Override
    public String id() {
        return lambda == 0 ? "dldl" : "dldl-v2";
    }

    public double lambda() {
        return lambda;
    }

    @Override
    public NDArray loss(NDArray logits, NDArray ages, NDArray sigmas) {
        NDManager m = logits.getManager();
        NDArray l = Targets.labels(m, space);
        NDArray p = Targets.gaussian(l, ages, sigmas); // N×K, eq. (1)
        NDArray logPHat = logits.logSoftmax(1);
        // KL(p‖p̂) = Σ p ln p − Σ p ln p̂; terms with p_k = 0 contribute 0
        NDArray pLogP = p.mul(p.maximum(1e-30f).log());
        NDArray kl = pLogP.sub(p.mul(logPHat)).sum(new int[] {1});
        if (lambda == 0) {
            return kl.mean();
        }
        NDArray yHat = expectation(logPHat.exp(), l);
        return kl.add(yHat.sub(ages).abs().mul((float) lambda)).mean();
    }
}
