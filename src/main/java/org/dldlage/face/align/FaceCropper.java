package org.dldlage.face.align;

import org.dldlage.face.detect.Face;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.ImageOps;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * From a photo to the S×S RGB faces the age network takes, the same way for the service and the
 * trainer's evaluation: detect, then cut each face out with the model's {@link Framing}. In
 * {@code none} mode the image is one face crop; given a detector, the crop's own face is found again
 * inside it ({@link #faceOfCrop}) so a crop framed tighter or looser than the model's template is
 * warped onto it as the model was trained, and taken as sent when no such face is found.
 */
public final class FaceCropper {

    /**
     * @param face the detected face in photo coordinates, or null in {@code none} mode when the crop was taken as sent
     * @param rgb S·S·3 interleaved RGB bytes, row-major
     * @param size S
     */
    public record Crop(Face face, byte[] rgb, int size) {}

    private final FaceDetector detector;
    private final Framing framing;
    private final int minFaceSize;

    /**
     * @param detector may be null in {@code none} mode: crops are then always taken as sent
     * @param minFaceSize the smallest face searched, in pixels
     */
    public FaceCropper(FaceDetector detector, Framing framing, int minFaceSize) {
        if (framing.mode() != Align.NONE && detector == null) {
            throw new IllegalArgumentException(framing.mode().id() + " alignment needs a face detector");
        }
        this.detector = detector;
        this.framing = framing;
        this.minFaceSize = minFaceSize;
    }

    /**
     * @return at most {@code maxFaces} crops, one per detected face, largest first (empty when no face
     *     is found); in {@code none} mode exactly one crop of the whole image, its face re-found where it can be
     */
    public List<Crop> crops(BufferedImage image, int maxFaces) {
        List<Face> faces = faces(image, maxFaces);
        List<Crop> out = new ArrayList<>(faces.size());
        for (Face f : faces) {
            out.add(new Crop(f, crop(image, f), framing.size()));
        }
        return out;
    }

    /**
     * The faces {@link #crops} cuts out, found but not yet cut (so a caller can time the two steps apart):
     * at most {@code maxFaces}, largest first; in {@code none} mode one entry, the crop's own face or null.
     */
    public List<Face> faces(BufferedImage image, int maxFaces) {
        if (framing.mode() == Align.NONE) {
            return java.util.Collections.singletonList(detector == null ? null : faceOfCrop(detector, image, minFaceSize));
        }
        // as the trainer prepared its faces: a tight crop without a face is searched again, padded
        List<Face> faces = detectInCrop(detector, image, minFaceSize);
        return faces.subList(0, Math.min(faces.size(), maxFaces));
    }

    /** Whether {@link #faces} runs the detector: the mode needs it, or a crop's own face is looked for. */
    public boolean detects() {
        return detector != null;
    }

    /** S·S·3 RGB bytes of one face of {@link #faces} as the model takes it ({@link Framing#crop}). */
    public byte[] crop(BufferedImage image, Face face) {
        return framing.crop(image, face);
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

    /**
     * A face found in a crop is the crop's own face when its box's larger side is at least this share of
     * the crop's shorter side; a smaller one is someone in the background, and the crop is taken as sent.
     */
    public static final double MIN_CROP_FACE_SHARE = 0.3;

    /**
     * The face of an image sent as one face crop ({@code align=none}), found again inside it with
     * {@link #detectInCrop}: the largest face, if it has landmarks and fills the crop
     * ({@link #MIN_CROP_FACE_SHARE}); else null (take the crop as sent).
     */
    public static Face faceOfCrop(FaceDetector detector, BufferedImage crop, int minFaceSize) {
        List<Face> faces = detectInCrop(detector, crop, minFaceSize);
        return ownFace(faces.isEmpty() ? null : faces.get(0), crop.getWidth(), crop.getHeight());
    }

    /**
     * {@link #faceOfCrop} for a face already detected in a {@code width}×{@code height} crop (the largest one).
     *
     * @return {@code largest}, or null when it is null, has no landmarks or does not fill the crop
     */
    public static Face ownFace(Face largest, int width, int height) {
        if (largest == null || largest.landmarks() == null) {
            return null;
        }
        double side = Math.max(largest.width(), largest.height());
        return side >= MIN_CROP_FACE_SHARE * Math.min(width, height) ? largest : null;
    }
}
