package org.dldlage.core;

import java.util.Arrays;

/**
 * A predicted label distribution p̂ over a label space, and what follows from it: the age as its
 * expectation (eq. 8), its spread, central intervals and tail probabilities.
 */
public final class AgeDistribution {

    private final LabelSpace space;
    private final double[] probabilities;

    /** @param probabilities p̂_k, non-negative, summing to 1 (renormalised here against rounding) */
    public AgeDistribution(LabelSpace space, double[] probabilities) {
        if (probabilities.length != space.size()) {
            throw new IllegalArgumentException(
                    "expected " + space.size() + " probabilities, got " + probabilities.length);
        }
        double sum = 0;
        for (double v : probabilities) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("probabilities must be finite and non-negative");
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("probabilities sum to zero");
        }
        this.space = space;
        this.probabilities = new double[probabilities.length];
        for (int k = 0; k < probabilities.length; k++) {
            this.probabilities[k] = probabilities[k] / sum;
        }
    }

    /** Averages several distributions over the same labels (the paper's mirror averaging). */
    public static AgeDistribution mean(AgeDistribution a, AgeDistribution b) {
        double[] p = new double[a.probabilities.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = (a.probabilities[k] + b.probabilities[k]) / 2;
        }
        return new AgeDistribution(a.space, p);
    }

    public LabelSpace space() {
        return space;
    }

    public double[] probabilities() {
        return Arrays.copyOf(probabilities, probabilities.length);
    }

    /** ŷ = Σ p̂_k l_k, eq. (8). */
    public double expectation() {
        double e = 0;
        for (int k = 0; k < probabilities.length; k++) {
            e += probabilities[k] * space.label(k);
        }
        return e;
    }

    /** The standard deviation of p̂: the model's own uncertainty, in years. */
    public double standardDeviation() {
        double mean = expectation();
        double v = 0;
        for (int k = 0; k < probabilities.length; k++) {
            double d = space.label(k) - mean;
            v += probabilities[k] * d * d;
        }
        return Math.sqrt(v);
    }

    /** Σ p̂_k over l_k < age. */
    public double probabilityBelow(double age) {
        double s = 0;
        for (int k = 0; k < probabilities.length && space.label(k) < age; k++) {
            s += probabilities[k];
        }
        return s;
    }

    /** Σ p̂_k over l_k ≥ age: the chance, by the model's own distribution, that the person is at least that old. */
    public double probabilityAtLeast(double age) {
        double s = 0;
        for (int k = probabilities.length - 1; k >= 0 && space.label(k) >= age; k--) {
            s += probabilities[k];
        }
        return s;
    }

    /**
     * The q-quantile of p̂ with linear interpolation inside each label's bin (each label l_k owns
     * [l_k − Δl/2, l_k + Δl/2]), so intervals are not stuck to whole labels.
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        double half = space.step() / 2;
        double cumulative = 0;
        for (int k = 0; k < probabilities.length; k++) {
            double next = cumulative + probabilities[k];
            if (next >= q && probabilities[k] > 0) {
                double within = (q - cumulative) / probabilities[k];
                double lo = Math.max(space.min(), space.label(k) - half);
                double hi = Math.min(space.max(), space.label(k) + half);
                return lo + within * (hi - lo);
            }
            cumulative = next;
        }
        return space.max();
    }

    /** The central interval holding a share {@code level} of p̂, as {lower, upper}. */
    public double[] centralInterval(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        double tail = (1 - level) / 2;
        return new double[] {quantile(tail), quantile(1 - tail)};
    }
}
