package org.dldlage.train.data;

import java.util.SplittableRandom;

/**
 * The authors' training augmentation (DLDL-v2.md, "Training recipe"), scaled to the input size S:
 * flip (p 0.5) → grey (p 0.5) → shorter side to a random integer in [S/2, S] (bicubic) → rotate by
 * U(−15°, 15°) (bilinear) → shorter side to S → random S×S crop → colour jitter 0.4 in random order.
 * Normalisation happens on the engine with the bundle's mean and std. Each step is public so it can
 * be tested alone; all randomness comes from the caller's generator, so a seed fixes the result.
 */
public final class Augmentation {

    /** An RGB image as floats in [0, 255], interleaved, row-major. */
    public record Image(int width, int height, float[] rgb) {
        public static Image of(byte[] rgb, int width, int height) {
            float[] f = new float[rgb.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = rgb[i] & 0xff;
            }
            return new Image(width, height, f);
        }

        public byte[] toBytes() {
            byte[] b = new byte[rgb.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) Math.round(Math.max(0, Math.min(255, rgb[i])));
            }
            return b;
        }
    }

    public static final double MAX_ROTATION_DEGREES = 15;
    public static final double JITTER = 0.4;

    private Augmentation() {}

    /** The whole recipe on an S×S (or larger) RGB crop; returns S·S·3 bytes. */
    public static byte[] apply(byte[] rgb, int width, int height, int size, SplittableRandom rng) {
        return apply(rgb, width, height, size, rng, 0);
    }

    /**
     * The recipe with a framing jitter j &gt; 0 after the rotation: zoom by a factor in [1/(1+j), 1+j]
     * (log-uniform) and shift by up to ±j/2 of the side each way, edges replicated, so faces framed
     * tighter or looser than the template (a user's own crop) are seen in training. j = 0 is the
     * authors' recipe and draws the same random numbers as before.
     */
    public static byte[] apply(byte[] rgb, int width, int height, int size, SplittableRandom rng, double frameJitter) {
        Image img = Image.of(rgb, width, height);
        if (rng.nextDouble() < 0.5) {
            img = flip(img);
        }
        if (rng.nextDouble() < 0.5) {
            img = grey(img);
        }
        img = scaleShorterSide(img, size / 2 + rng.nextInt(size - size / 2 + 1));
        img = rotate(img, (rng.nextDouble() * 2 - 1) * MAX_ROTATION_DEGREES);
        if (frameJitter > 0) {
            double zoom = Math.exp((rng.nextDouble() * 2 - 1) * Math.log1p(frameJitter));
            img = zoomShift(img, zoom, (rng.nextDouble() - 0.5) * frameJitter, (rng.nextDouble() - 0.5) * frameJitter);
        }
        img = scaleShorterSide(img, size);
        img = crop(img, size, rng.nextInt(img.width() - size + 1), rng.nextInt(img.height() - size + 1));
        img = colourJitter(img, rng);
        return img.toBytes();
    }

    /** Mirror left to right. */
    public static Image flip(Image img) {
        int w = img.width();
        int h = img.height();
        float[] out = new float[img.rgb().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(img.rgb(), 3 * (y * w + x), out, 3 * (y * w + (w - 1 - x)), 3);
            }
        }
        return new Image(w, h, out);
    }

    /** 0.299R + 0.587G + 0.114B copied to all three channels. */
    public static Image grey(Image img) {
        float[] in = img.rgb();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i += 3) {
            float g = 0.299f * in[i] + 0.587f * in[i + 1] + 0.114f * in[i + 2];
            out[i] = g;
            out[i + 1] = g;
            out[i + 2] = g;
        }
        return new Image(img.width(), img.height(), out);
    }

    /** Resizes so the shorter side is {@code target}, keeping the aspect ratio (bicubic). */
    public static Image scaleShorterSide(Image img, int target) {
        int w = img.width();
        int h = img.height();
        if (Math.min(w, h) == target) {
            return img;
        }
        double s = (double) target / Math.min(w, h);
        int nw = w <= h ? target : (int) Math.round(w * s);
        int nh = h < w ? target : (int) Math.round(h * s);
        return resizeBicubic(img, nw, nh);
    }

    /** Rotates about the centre by {@code degrees} (counter-clockwise), bilinear, black outside. */
    public static Image rotate(Image img, double degrees) {
        int w = img.width();
        int h = img.height();
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] out = new float[img.rgb().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // inverse mapping: where in the source does this output pixel come from
                double dx = x - cx;
                double dy = y - cy;
                double sx = cos * dx - sin * dy + cx;
                double sy = sin * dx + cos * dy + cy;
                bilinear(img, sx, sy, out, 3 * (y * w + x));
            }
        }
        return new Image(w, h, out);
    }

    /**
     * Zoom about the centre by {@code zoom} (&gt; 1 enlarges the face) and shift by (dx, dy) shares of
     * the width and height, bilinear, edges replicated; the size stays.
     */
    public static Image zoomShift(Image img, double zoom, double dx, double dy) {
        int w = img.width();
        int h = img.height();
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] out = new float[img.rgb().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = (x - cx - dx * w) / zoom + cx;
                double sy = (y - cy - dy * h) / zoom + cy;
                bilinear(img, sx, sy, out, 3 * (y * w + x));
            }
        }
        return new Image(w, h, out);
    }

    /** The S×S window at (left, top). */
    public static Image crop(Image img, int size, int left, int top) {
        if (left < 0 || top < 0 || left + size > img.width() || top + size > img.height()) {
            throw new IllegalArgumentException("crop outside the image");
        }
        float[] out = new float[size * size * 3];
        for (int y = 0; y < size; y++) {
            System.arraycopy(img.rgb(), 3 * ((top + y) * img.width() + left), out, 3 * y * size, 3 * size);
        }
        return new Image(size, size, out);
    }

    /**
     * Brightness, contrast and saturation, each with a factor in [1 − 0.4, 1 + 0.4], in random order
     * (as torchvision's ColorJitter): brightness scales, contrast blends with the mean grey level,
     * saturation blends with the pixel's grey value.
     */
    public static Image colourJitter(Image img, SplittableRandom rng) {
        int[] order = {0, 1, 2};
        for (int i = 2; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Image out = img;
        for (int op : order) {
            float f = (float) (1 - JITTER + rng.nextDouble() * 2 * JITTER);
            out = switch (op) {
                case 0 -> brightness(out, f);
                case 1 -> contrast(out, f);
                default -> saturation(out, f);
            };
        }
        return out;
    }

    public static Image brightness(Image img, float f) {
        float[] in = img.rgb();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clamp(in[i] * f);
        }
        return new Image(img.width(), img.height(), out);
    }

    public static Image contrast(Image img, float f) {
        float[] in = img.rgb();
        double mean = 0;
        for (int i = 0; i < in.length; i += 3) {
            mean += 0.299 * in[i] + 0.587 * in[i + 1] + 0.114 * in[i + 2];
        }
        float m = (float) (mean / (in.length / 3));
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clamp(m + f * (in[i] - m));
        }
        return new Image(img.width(), img.height(), out);
    }

    public static Image saturation(Image img, float f) {
        float[] in = img.rgb();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i += 3) {
            float g = 0.299f * in[i] + 0.587f * in[i + 1] + 0.114f * in[i + 2];
            for (int c = 0; c < 3; c++) {
                out[i + c] = clamp(g + f * (in[i + c] - g));
            }
        }
        return new Image(img.width(), img.height(), out);
    }

    /** Separable bicubic (Catmull-Rom, a = −0.5) resampling with pixel centres aligned. */
    static Image resizeBicubic(Image img, int nw, int nh) {
        float[] tmp = resample(img.rgb(), img.width(), img.height(), nw, true);
        float[] out = resample(tmp, nw, img.height(), nh, false);
        for (int i = 0; i < out.length; i++) {
            out[i] = clamp(out[i]);
        }
        return new Image(nw, nh, out);
    }

    /** One resampling pass along x (horizontal) or y; when shrinking, the kernel widens to average. */
    private static float[] resample(float[] in, int w, int h, int n, boolean horizontal) {
        int src = horizontal ? w : h;
        double scale = (double) src / n;
        double support = Math.max(1, scale); // antialias when downscaling
        int ow = horizontal ? n : w;
        int oh = horizontal ? h : n;
        float[] out = new float[ow * oh * 3];
        for (int o = 0; o < n; o++) {
            double centre = (o + 0.5) * scale - 0.5;
            int first = (int) Math.floor(centre - 2 * support) + 1;
            int last = (int) Math.floor(centre + 2 * support);
            double[] wts = new double[last - first + 1];
            double sum = 0;
            for (int k = first; k <= last; k++) {
                wts[k - first] = cubic((k - centre) / support);
                sum += wts[k - first];
            }
            int lines = horizontal ? h : w;
            for (int line = 0; line < lines; line++) {
                double r = 0, g = 0, b = 0;
                for (int k = first; k <= last; k++) {
                    int kk = Math.max(0, Math.min(src - 1, k));
                    int idx = horizontal ? 3 * (line * w + kk) : 3 * (kk * w + line);
                    double wt = wts[k - first];
                    r += wt * in[idx];
                    g += wt * in[idx + 1];
                    b += wt * in[idx + 2];
                }
                int oi = horizontal ? 3 * (line * ow + o) : 3 * (o * ow + line);
                out[oi] = (float) (r / sum);
                out[oi + 1] = (float) (g / sum);
                out[oi + 2] = (float) (b / sum);
            }
        }
        return out;
    }

    private static double cubic(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x <= 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }

    private static void bilinear(Image img, double x, double y, float[] out, int o) {
        int w = img.width();
        int h = img.height();
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        float[] in = img.rgb();
        for (int c = 0; c < 3; c++) {
            double v = 0;
            for (int j = 0; j <= 1; j++) {
                for (int i = 0; i <= 1; i++) {
                    int xi = x0 + i;
                    int yj = y0 + j;
                    if (xi >= 0 && yj >= 0 && xi < w && yj < h) {
                        v += (i == 0 ? 1 - fx : fx) * (j == 0 ? 1 - fy : fy) * in[3 * (yj * w + xi) + c];
                    }
                }
            }
            out[o + c] = (float) v;
        }
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }
}
