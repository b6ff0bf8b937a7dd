package org.dldlage.core;

/** Encodings of a scalar age as training targets (Sec. 3.1 and 3.2 of the paper). */
public final class LabelDistributions {

    private LabelDistributions() {}

    /**
     * The ground-truth label distribution, eq. (1) normalised: p_k ∝ exp(−(l_k − y)²/2σ²), Σ p_k = 1.
     *
     * @throws IllegalArgumentException when σ is not a positive finite number or y is not finite
     */
    public static double[] gaussian(LabelSpace space, double age, double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a positive finite number, got " + sigma);
        }
        if (!Double.isFinite(age)) {
            throw new IllegalArgumentException("age must be finite, got " + age);
        }
        double[] p = new double[space.size()];
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            double d = space.label(k) - age;
            p[k] = Math.exp(-d * d / (2 * sigma * sigma));
            sum += p[k];
        }
        if (sum == 0) {
            // y so far outside the range that every term underflows: all mass on the nearest label
            p[space.nearestIndex(age)] = 1;
            return p;
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** The ranking encoding: K−1 binary targets, the k-th is 1 when y > l_k (Sec. 3.2). */
    public static double[] rankingTargets(LabelSpace space, double age) {
        double[] t = new double[space.size() - 1];
        for (int k = 0; k < t.length; k++) {
            t[k] = age > space.label(k) ? 1 : 0;
        }
        return t;
    }

    /** The cumulative transform c = T·p of eq. (5), T upper-triangular ones: c_k = Σ_{j≤k} p_j. */
    public static double[] cumulative(double[] p) {
        double[] c = new double[p.length];
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            s += p[k];
            c[k] = s;
        }
        return c;
    }

    /** The first K−1 entries of 1 − T·p: what ranking outputs approximate, eq. (6). */
    public static double[] rankingFromDistribution(double[] p) {
        double[] c = cumulative(p);
        double[] r = new double[p.length - 1];
        for (int k = 0; k < r.length; k++) {
            r[k] = 1 - c[k];
        }
        return r;
    }
}
