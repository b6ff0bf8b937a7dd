package org.dldlage.face;

import java.awt.image.BufferedImage;

/**
 * Separable resampling of planar float images: area averaging when shrinking (so small faces keep
 * their contrast through the MTCNN pyramid, as OpenCV's INTER_AREA), bilinear when enlarging. Pixels
 * outside the source count as 0, as MTCNN's zero-padded crops of boxes that cross the border.
 */
public final class Resampler {

    private Resampler() {}

    /** Planar RGB 0..255 floats of an image, row-major: planes[c][y * width + x]. */
    public static float[][] planes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] p = new float[3][w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int base = y * w;
            for (int x = 0; x < w; x++) {
                int v = row[x];
                p[0][base + x] = (v >> 16) & 0xff;
                p[1][base + x] = (v >> 8) & 0xff;
                p[2][base + x] = v & 0xff;
            }
        }
        return p;
    }

    /**
     * Resamples the window [x0, x0+cw) × [y0, y0+ch) of {@code src} (sw × sh, may extend past the
     * border) to ow × oh. Returns planar row-major floats.
     */
    public static float[][] resample(float[][] src, int sw, int sh, int x0, int y0, int cw, int ch, int ow, int oh) {
        Taps tx = taps(x0, cw, ow, sw);
        Taps ty = taps(y0, ch, oh, sh);
        int r0 = Math.max(0, y0);
        int r1 = Math.min(sh, y0 + ch);
        int rows = Math.max(0, r1 - r0);
        float[][] out = new float[src.length][ow * oh];
        float[] tmp = new float[rows * ow];
        for (int c = 0; c < src.length; c++) {
            float[] s = src[c];
            for (int r = 0; r < rows; r++) {
                int base = (r0 + r) * sw;
                int tb = r * ow;
                for (int o = 0; o < ow; o++) {
                    int[] idx = tx.index[o];
                    float[] wt = tx.weight[o];
                    float acc = 0;
                    for (int k = 0; k < idx.length; k++) {
                        acc += wt[k] * s[base + idx[k]];
                    }
                    tmp[tb + o] = acc;
                }
            }
            float[] d = out[c];
            for (int oy = 0; oy < oh; oy++) {
                int[] idx = ty.index[oy];
                float[] wt = ty.weight[oy];
                int db = oy * ow;
                for (int k = 0; k < idx.length; k++) {
                    int tb = (idx[k] - r0) * ow;
                    float wk = wt[k];
                    for (int ox = 0; ox < ow; ox++) {
                        d[db + ox] += wk * tmp[tb + ox];
                    }
                }
            }
        }
        return out;
    }

    /** Source indices (inside [0, limit) only) and weights for each of {@code out} output positions. */
    private record Taps(int[][] index, float[][] weight) {}

    private static Taps taps(int start, int len, int out, int limit) {
        int[][] index = new int[out][];
        float[][] weight = new float[out][];
        double scale = (double) len / out;
        int[] ib = new int[(int) Math.ceil(scale) + 2];
        float[] wb = new float[ib.length];
        for (int o = 0; o < out; o++) {
            int n = 0;
            if (scale >= 1) {
                double a = o * scale;
                double b = Math.min(len, (o + 1) * scale);
                for (int k = (int) Math.floor(a); k < Math.ceil(b); k++) {
                    double overlap = Math.min(b, k + 1) - Math.max(a, k);
                    int src = start + k;
                    if (overlap > 0 && src >= 0 && src < limit) {
                        ib[n] = src;
                        wb[n++] = (float) (overlap / scale);
                    }
                }
            } else {
                double c = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), len - 1);
                int k0 = (int) Math.floor(c);
                int k1 = Math.min(k0 + 1, len - 1);
                double f = c - k0;
                n = add(ib, wb, n, start + k0, 1 - f, limit);
                if (k1 != k0) {
                    n = add(ib, wb, n, start + k1, f, limit);
                }
            }
            index[o] = java.util.Arrays.copyOf(ib, n);
            weight[o] = java.util.Arrays.copyOf(wb, n);
        }
        return new Taps(index, weight);
    }

    private static int add(int[] ib, float[] wb, int n, int src, double w, int limit) {
        if (w > 0 && src >= 0 && src < limit) {
            ib[n] = src;
            wb[n] = (float) w;
            return n + 1;
        }
        return n;
    }
}
