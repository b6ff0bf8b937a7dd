package org.dldlage.face.align;

import org.dldlage.face.detect.Face;
import org.dldlage.face.ImageOps;
import java.awt.image.BufferedImage;

/**
 * Turns a detected face into the S×S RGB crop the age network sees.
 *
 * <ul>
 *   <li>{@link Align#MTCNN}: a non-reflective similarity (rotation, uniform scale, translation),
 *       least squares over the five landmarks, maps them onto a template; the face is warped with
 *       bilinear sampling. The template is given in [0, 1] coordinates of the S×S frame (a point at
 *       pixel centre p of an S-pixel frame is (p + 0.5)/S), derived from the training crops
 *       ({@link TemplateDerivation}) so that served faces look like the faces trained on.
 *   <li>{@link Align#BOX}: the detector's box made square around its centre, grown by a margin on each
 *       side, scaled to S×S without rotation.
 *   <li>{@link Align#NONE}: the image already is a face crop: {@link ImageOps#resizeCentreCrop}.
 * </ul>
 *
 * Pixels outside the photo repeat its nearest edge pixel (a black border would be a feature the
 * network never saw in training). Strong reductions first halve the photo with 2×2 averages so
 * bilinear sampling does not alias. Thread-safe.
 */
public final class FaceAligner {

    /**
     * Mean MTCNN landmarks on 2,000 UTKFace train crops (seed 42), in [0, 1] coordinates of the crop:
     * left eye, right eye, nose, left and right mouth corner. Regenerate with
     * {@link TemplateDerivation}; a model bundle's own {@code alignment.template} takes precedence.
     */
    public static final double[][] UTKFACE_TEMPLATE = {
        {0.3005, 0.2920}, {0.6936, 0.2926}, {0.4935, 0.5230}, {0.3215, 0.6957}, {0.6692, 0.6954},
    };

    /**
     * Box mode's margin on each side, as a fraction of the square box side. On UTKFace train crops the
     * detector's box spans 0.84 × 1.05 of the crop, so its square without margin frames a face about
     * as the training crops do.
     */
    public static final double DEFAULT_BOX_MARGIN = 0.0;

    private final double[][] template;

    /** @param template five (x, y) points in [0, 1] coordinates, in {@link Face#LANDMARK_NAMES} order */
    public FaceAligner(double[][] template) {
        if (template == null || template.length != 5) {
            throw new IllegalArgumentException("the alignment template needs 5 points");
        }
        this.template = new double[5][];
        for (int i = 0; i < 5; i++) {
            if (template[i] == null || template[i].length != 2 || !Double.isFinite(template[i][0])
                    || !Double.isFinite(template[i][1])) {
                throw new IllegalArgumentException("template point " + i + " must be a finite (x, y) pair");
            }
            this.template[i] = template[i].clone();
        }
        if (FgnetLandmarks.distance(this.template[0], this.template[1]) < 1e-6) {
            throw new IllegalArgumentException("template eyes coincide");
        }
    }

    /** A 2-D similarity: (x, y) → (a·x − b·y + tx, b·x + a·y + ty). */
    public record Similarity(double a, double b, double tx, double ty) {

        public double[] apply(double[] p) {
            return new double[] {a * p[0] - b * p[1] + tx, b * p[0] + a * p[1] + ty};
        }

        public Similarity inverse() {
            double d = a * a + b * b;
            double ia = a / d;
            double ib = -b / d;
            return new Similarity(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
        }

        public double scale() {
            return Math.hypot(a, b);
        }

        /** Rotation in degrees, counter-clockwise in a y-down image counted clockwise. */
        public double rotationDegrees() {
            return Math.toDegrees(Math.atan2(b, a));
        }
    }

    /**
     * The least-squares non-reflective similarity taking {@code src} points onto {@code dst} points
     * (closed form over centred coordinates, as MATLAB's cp2tform 'nonreflective similarity').
     */
    public static Similarity estimate(double[][] src, double[][] dst) {
        int n = src.length;
        if (n < 2 || dst.length != n) {
            throw new IllegalArgumentException("need at least 2 matching point pairs");
        }
        double sx = 0;
        double sy = 0;
        double dx = 0;
        double dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[i][0];
            sy += src[i][1];
            dx += dst[i][0];
            dy += dst[i][1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double num1 = 0;
        double num2 = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double x = src[i][0] - sx;
            double y = src[i][1] - sy;
            double u = dst[i][0] - dx;
            double v = dst[i][1] - dy;
            num1 += x * u + y * v;
            num2 += x * v - y * u;
            den += x * x + y * y;
        }
        if (den < 1e-12) {
            throw new IllegalArgumentException("source points coincide");
        }
        double a = num1 / den;
        double b = num2 / den;
        return new Similarity(a, b, dx - a * sx + b * sy, dy - b * sx - a * sy);
    }

    /** The similarity that takes the face's landmarks onto the template in an S×S frame (pixel coordinates). */
    public Similarity transform(Face face, int size) {
        if (face.landmarks() == null) {
            throw new IllegalArgumentException("mtcnn alignment needs the face's landmarks");
        }
        double[][] dst = new double[5][];
        for (int i = 0; i < 5; i++) {
            dst[i] = new double[] {template[i][0] * size - 0.5, template[i][1] * size - 0.5};
        }
        return estimate(face.landmarks(), dst);
    }

    /** {@link Align#MTCNN}: S·S·3 RGB bytes of the face warped onto the template. */
    public byte[] align(BufferedImage image, Face face, int size) {
        return warp(image, transform(face, size), size);
    }

    /** {@link Align#BOX}: the square box around the face's box, grown by {@code margin} per side, as S×S. */
    public static byte[] box(BufferedImage image, Face face, int size, double margin) {
        double side = Math.max(face.width(), face.height()) * (1 + 2 * margin);
        double cx = face.x() + face.width() / 2;
        double cy = face.y() + face.height() / 2;
        double s = size / side;
        // the square's left/top edge (continuous coordinate cx − side/2) goes to 0
        double tx = -(cx - side / 2) * s + 0.5 * s - 0.5;
        double ty = -(cy - side / 2) * s + 0.5 * s - 0.5;
        return warp(image, new Similarity(s, 0, tx, ty), size);
    }

    /** {@link Align#NONE}: the photo is already a face crop. */
    public static byte[] none(BufferedImage image, int size) {
        return ImageOps.resizeCentreCrop(image, size);
    }

    /** Bilinear warp of the image by {@code t} (image → output pixel coordinates) into S×S RGB bytes. */
    public static byte[] warp(BufferedImage image, Similarity t, int size) {
        BufferedImage src = image;
        Similarity tt = t;
        // shrinking by more than 2: average 2×2 blocks first, so bilinear sampling sees no aliasing
        while (tt.scale() < 0.5 && Math.min(src.getWidth(), src.getHeight()) >= 4) {
            src = ImageOps.halve(src);
            // pixel p of the half image covers p·2 + 0.5 of the original
            tt = new Similarity(tt.a() * 2, tt.b() * 2, tt.tx() + 0.5 * (tt.a() - tt.b()), tt.ty() + 0.5 * (tt.b() + tt.a()));
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        Similarity inv = tt.inverse();
        byte[] out = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sx = inv.a() * x - inv.b() * y + inv.tx();
                double sy = inv.b() * x + inv.a() * y + inv.ty();
                sx = Math.min(Math.max(sx, 0), w - 1);
                sy = Math.min(Math.max(sy, 0), h - 1);
                int x0 = (int) sx;
                int y0 = (int) sy;
                int x1 = Math.min(x0 + 1, w - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                double fx = sx - x0;
                double fy = sy - y0;
                int p00 = px[y0 * w + x0];
                int p01 = px[y0 * w + x1];
                int p10 = px[y1 * w + x0];
                int p11 = px[y1 * w + x1];
                int o = 3 * (y * size + x);
                for (int c = 0, shift = 16; c < 3; c++, shift -= 8) {
                    double v = (1 - fy) * ((1 - fx) * ((p00 >> shift) & 0xff) + fx * ((p01 >> shift) & 0xff))
                            + fy * ((1 - fx) * ((p10 >> shift) & 0xff) + fx * ((p11 >> shift) & 0xff));
                    out[o + c] = (byte) Math.round(v);
                }
            }
        }
        return out;
    }

    /** RGB bytes back to an image (for inspection and tests). */
    public static BufferedImage toImage(byte[] rgb, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = ((rgb[3 * i] & 0xff) << 16) | ((rgb[3 * i + 1] & 0xff) << 8) | (rgb[3 * i + 2] & 0xff);
        }
        img.setRGB(0, 0, size, size, px, 0, size);
        return img;
    }
}
