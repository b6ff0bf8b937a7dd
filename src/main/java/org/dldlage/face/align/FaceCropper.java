package org.dldlage.face.align;

import org.dldlage.face.detect.Face;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.ImageOps;
import org.dldlage.face.detect.Mtcnn;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * From a photo to the S×S RGB faces the age network takes, the same way for the service and the
 * trainer's evaluation: detect (unless the mode is {@code none}), then align each face.
 */
public final class FaceCropper {

    /**
     * @param face the detected face in photo coordinates, or null in {@code none} mode (no detection)
     * @param rgb S·S·3 interleaved RGB bytes, row-major
     * @param size S
     */
    public record Crop(Face face, byte[] rgb, int size) {
        public BufferedImage image() {
            return FaceAligner.toImage(rgb, size);
        }
    }

    private final FaceDetector detector;
    private final Align mode;
    private final FaceAligner aligner;
    private final int minFaceSize;
    private final double boxMargin;

    /**
     * @param detector may be null in {@code none} mode
     * @param template [0, 1] template for {@code mtcnn} mode (e.g. the bundle's alignment.template, or
     *     {@link FaceAligner#UTKFACE_TEMPLATE}); ignored otherwise
     */
    public FaceCropper(FaceDetector detector, Align mode, double[][] template, int minFaceSize,
            double boxMargin) {
        if (mode != Align.NONE && detector == null) {
            throw new IllegalArgumentException(mode.id() + " alignment needs a face detector");
        }
        this.detector = detector;
        this.mode = mode;
        this.aligner = new FaceAligner(template == null ? FaceAligner.UTKFACE_TEMPLATE : template);
        this.minFaceSize = minFaceSize;
        this.boxMargin = boxMargin;
    }

    /** Defaults: 20-px minimum face, the UTKFace template, no box margin. */
    public FaceCropper(FaceDetector detector, Align mode) {
        this(detector, mode, FaceAligner.UTKFACE_TEMPLATE, Mtcnn.DEFAULT_MIN_FACE_SIZE,
                FaceAligner.DEFAULT_BOX_MARGIN);
    }

    public Align mode() {
        return mode;
    }

    /**
     * @return one crop per detected face, largest first (empty when no face is found); in {@code none}
     *     mode exactly one crop of the whole image
     */
    public List<Crop> crops(BufferedImage image, int size) {
        return crops(image, size, Integer.MAX_VALUE);
    }

    /** As {@link #crops(BufferedImage, int)}, at most {@code maxFaces} (the largest). */
    public List<Crop> crops(BufferedImage image, int size, int maxFaces) {
        if (mode == Align.NONE) {
            return List.of(new Crop(null, FaceAligner.none(image, size), size));
        }
        List<Face> faces = detectInCrop(detector, image, minFaceSize);
        List<Crop> out = new ArrayList<>(Math.min(faces.size(), maxFaces));
        for (Face f : faces.subList(0, Math.min(faces.size(), maxFaces))) {
            byte[] rgb = mode == Align.MTCNN
                    ? aligner.align(image, f, size)
                    : FaceAligner.box(image, f, size, boxMargin);
            out.add(new Crop(f, rgb, size));
        }
        return out;
    }

    /** Border added on each side, as a share of the image's larger side, when a tight crop shows no face. */
    public static final double CROP_PADDING = 0.25;

    /**
     * Detects faces; when there is none, detects again on the image with its edges replicated by
     * {@link #CROP_PADDING} on every side: MTCNN's proposals need some context around a face, which
     * tight crops (APPA-REAL's, a user's) cut off. Faces come back in the original image's coordinates.
     */
    public static List<Face> detectInCrop(FaceDetector detector, BufferedImage image, int minFaceSize) {
        List<Face> faces = detector.detect(image, minFaceSize);
        if (!faces.isEmpty()) {
            return faces;
        }
        int pad = (int) Math.round(CROP_PADDING * Math.max(image.getWidth(), image.getHeight()));
        BufferedImage padded = ImageOps.padReplicate(image, pad);
        List<Face> out = new ArrayList<>();
        for (Face f : detector.detect(padded, minFaceSize)) {
            double[][] lm = null;
            if (f.landmarks() != null) {
                lm = new double[f.landmarks().length][];
                for (int i = 0; i < lm.length; i++) {
                    lm[i] = new double[] {f.landmarks()[i][0] - pad, f.landmarks()[i][1] - pad};
                }
            }
            out.add(new Face(f.x() - pad, f.y() - pad, f.width(), f.height(), f.score(), lm));
        }
        return out;
    }
}
