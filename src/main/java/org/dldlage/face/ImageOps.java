package org.dldlage.face;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Pixel conversions shared by training, evaluation and serving, so all see faces the same way. */
public final class ImageOps {

    private ImageOps() {}

    /** Interleaved RGB bytes, row-major, of an image (alpha, if any, ignored). */
    public static byte[] toRgbBytes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            rgb[3 * i] = (byte) (p >> 16);
            rgb[3 * i + 1] = (byte) (p >> 8);
            rgb[3 * i + 2] = (byte) p;
        }
        return rgb;
    }

    /**
     * The paper's test-time preparation of a face crop: scale the shorter side to S, then take the
     * centre S×S square. Returns S·S·3 RGB bytes.
     */
    public static byte[] resizeCentreCrop(BufferedImage image, int size) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = (double) size / Math.min(w, h);
        int sw = Math.max(size, (int) Math.round(w * scale));
        int sh = Math.max(size, (int) Math.round(h * scale));
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            BufferedImage src = scale < 0.5 ? downscaleStepwise(image, scale) : image;
            g.drawImage(src, -(sw - size) / 2, -(sh - size) / 2, sw, sh, null);
        } finally {
            g.dispose();
        }
        return toRgbBytes(out);
    }

    /** Half the size, each pixel the mean of a 2×2 block (bilinear sampling exactly between the four). */
    public static BufferedImage halve(BufferedImage image) {
        int w = Math.max(1, image.getWidth() / 2);
        int h = Math.max(1, image.getHeight() / 2);
        BufferedImage half = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = half.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return half;
    }

    /** Halves repeatedly while the scale is below 1/2, so a big downscale averages instead of skipping pixels. */
    private static BufferedImage downscaleStepwise(BufferedImage image, double scale) {
        BufferedImage cur = image;
        double s = scale;
        while (s < 0.5) {
            int w = Math.max(1, cur.getWidth() / 2);
            int h = Math.max(1, cur.getHeight() / 2);
            BufferedImage half = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = half.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(cur, 0, 0, w, h, null);
            g.dispose();
            cur = half;
            s *= 2;
        }
        return cur;
    }

    /** The image with its edge pixels repeated {@code pad} pixels outwards on every side (RGB). */
    public static BufferedImage padReplicate(BufferedImage image, int pad) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int pw = w + 2 * pad;
        int ph = h + 2 * pad;
        int[] dst = new int[pw * ph];
        for (int y = 0; y < ph; y++) {
            int sy = Math.min(Math.max(y - pad, 0), h - 1);
            for (int x = 0; x < pw; x++) {
                dst[y * pw + x] = src[sy * w + Math.min(Math.max(x - pad, 0), w - 1)];
            }
        }
        BufferedImage out = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, pw, ph, dst, 0, pw);
        return out;
    }
}
