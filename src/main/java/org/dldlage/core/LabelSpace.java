package org.dldlage.core;

/**
 * The discrete age labels l = [min : Δl : max] of the paper (Sec. 3.1); K = (max − min)/Δl + 1.
 *
 * @param min the first label, in years
 * @param max the last label, in years
 * @param step Δl, the distance between neighbouring labels, in years
 */
public record LabelSpace(double min, double max, double step) {

    /** The paper's default: 0:1:100, K = 101. */
    public static final LabelSpace DEFAULT = new LabelSpace(0, 100, 1);

    public LabelSpace {
        if (!(step > 0) || !Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException(
                    "label space needs finite min < max and step > 0, got " + min + ":" + step + ":" + max);
        }
        double intervals = (max - min) / step;
        if (Math.abs(intervals - Math.rint(intervals)) > 1e-9) {
            throw new IllegalArgumentException(
                    "label step " + step + " does not divide the range " + min + ".." + max);
        }
    }

    /** The default range 0..100 with the given Δl (0.25, 0.5, 1, 2 and 4 give K = 401, 201, 101, 51, 26). */
    public static LabelSpace withStep(double step) {
        return new LabelSpace(0, 100, step);
    }

    /** K, the number of labels. */
    public int size() {
        return (int) Math.rint((max - min) / step) + 1;
    }

    /** l_k. */
    public double label(int k) {
        return min + k * step;
    }

    /** All labels l_0..l_{K−1}. */
    public double[] labels() {
        double[] l = new double[size()];
        for (int k = 0; k < l.length; k++) {
            l[k] = label(k);
        }
        return l;
    }

    /** Whether an age lies inside [min, max]. */
    public boolean contains(double age) {
        return age >= min && age <= max;
    }

    /** The index of the label nearest to an age, clamped to the range (DEX's one-hot bin). */
    public int nearestIndex(double age) {
        long k = Math.round((age - min) / step);
        return (int) Math.max(0, Math.min(size() - 1, k));
    }
}
