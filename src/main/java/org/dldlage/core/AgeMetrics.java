package org.dldlage.core;

/**
 * Streaming accumulator of age-estimation errors in constant memory: MAE, the ChaLearn ε-error,
 * CS@k for any whole number of years k, the mean signed error (bias) and interval coverage.
 * Not thread-safe; {@link #merge} combines accumulators filled in parallel.
 */
public final class AgeMetrics {

    /** Absolute errors are counted by ⌈|e|⌉ up to this many years; larger errors share the last slot. */
    private static final int MAX_TRACKED_YEARS = 200;

    private long n;
    private double sumAbs;
    private double sumSigned;
    private long nEpsilon;
    private double sumEpsilon;
    private long nCoverage;
    private long covered;
    private final long[] countByCeilError = new long[MAX_TRACKED_YEARS + 2];

    /**
     * Adds one prediction.
     *
     * @param sigma the image's σ for the ε-error; NaN when unknown (then it is left out of ε only)
     */
    public void add(double predicted, double truth, double sigma) {
        if (!Double.isFinite(predicted) || !Double.isFinite(truth)) {
            throw new IllegalArgumentException("predicted and true ages must be finite");
        }
        double e = predicted - truth;
        double abs = Math.abs(e);
        n++;
        sumAbs += abs;
        sumSigned += e;
        countByCeilError[(int) Math.min(MAX_TRACKED_YEARS + 1, Math.ceil(abs))]++;
        if (!Double.isNaN(sigma)) {
            if (!(sigma > 0)) {
                throw new IllegalArgumentException("sigma must be positive, got " + sigma);
            }
            nEpsilon++;
            // ChaLearn ε-error: 1 − exp(−(ŷ − y)²/2σ²)
            sumEpsilon += 1 - Math.exp(-e * e / (2 * sigma * sigma));
        }
    }

    /** Records whether the true age fell inside the predicted interval. */
    public void addCoverage(boolean inside) {
        nCoverage++;
        if (inside) {
            covered++;
        }
    }

    public void merge(AgeMetrics other) {
        n += other.n;
        sumAbs += other.sumAbs;
        sumSigned += other.sumSigned;
        nEpsilon += other.nEpsilon;
        sumEpsilon += other.sumEpsilon;
        nCoverage += other.nCoverage;
        covered += other.covered;
        for (int i = 0; i < countByCeilError.length; i++) {
            countByCeilError[i] += other.countByCeilError[i];
        }
    }

    public long count() {
        return n;
    }

    public double mae() {
        return n == 0 ? Double.NaN : sumAbs / n;
    }

    /** The mean signed error ŷ − y: positive means the model guesses too old. */
    public double meanError() {
        return n == 0 ? Double.NaN : sumSigned / n;
    }

    /** The mean ε-error over predictions whose σ was known; NaN when none was. */
    public double epsilonError() {
        return nEpsilon == 0 ? Double.NaN : sumEpsilon / nEpsilon;
    }

    /** CS@k: the share of predictions with |ŷ − y| ≤ k years. */
    public double cumulativeScore(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be non-negative, got " + k);
        }
        if (n == 0) {
            return Double.NaN;
        }
        long within = 0;
        for (int i = 0; i <= Math.min(k, MAX_TRACKED_YEARS); i++) {
            within += countByCeilError[i];
        }
        return (double) within / n;
    }

    /** The share of true ages inside the predicted interval; NaN when no coverage was recorded. */
    public double coverage() {
        return nCoverage == 0 ? Double.NaN : (double) covered / nCoverage;
    }
}
