package org.dldlage.face.align;

import org.dldlage.face.detect.Face;
import java.awt.image.BufferedImage;

/**
 * How a model's faces are cut out of photos: the one place that turns a photo and a detected face
 * into the S×S RGB crop the network takes, for the service, evaluation and training alike (the
 * network's own input block then normalises it, so nothing else stands between a crop and the model).
 *
 * <ul>
 *   <li>{@link Align#MTCNN}: the five landmarks warped onto the template ({@link FaceAligner#align}),
 *       the model's own template where its bundle records one, else {@link FaceAligner#UTKFACE_TEMPLATE}.
 *   <li>{@link Align#BOX}: the detector's box squared and grown by the margin ({@link FaceAligner#box}).
 *   <li>{@link Align#NONE}: the photo is a face crop, resized ({@link FaceAligner#none}); or, when its own
 *       face was found again inside it ({@link FaceCropper#faceOfCrop}), warped onto the template as
 *       {@code mtcnn} does, so a crop framed unlike the template still shows the face the model learned.
 * </ul>
 *
 * Thread-safe.
 */
public final class Framing {

    private final Align mode;
    private final int size;
    private final FaceAligner aligner;
    private final double boxMargin;

    /**
     * @param size S, the model's input side
     * @param template five (x, y) points in [0, 1] for {@code mtcnn}, or null for {@link FaceAligner#UTKFACE_TEMPLATE}
     * @param boxMargin {@code box} mode's margin per side, a fraction of the square box side
     */
    public Framing(Align mode, int size, double[][] template, double boxMargin) {
        if (mode == null) {
            throw new IllegalArgumentException("an alignment mode (mtcnn, box or none) is required");
        }
        if (size < 1) {
            throw new IllegalArgumentException("the crop size must be positive, got " + size);
        }
        if (!(boxMargin >= 0) || !Double.isFinite(boxMargin)) {
            throw new IllegalArgumentException("the box margin must be finite and >= 0, got " + boxMargin);
        }
        this.mode = mode;
        this.size = size;
        this.aligner = new FaceAligner(template == null ? FaceAligner.UTKFACE_TEMPLATE : template);
        this.boxMargin = boxMargin;
    }

    public Align mode() {
        return mode;
    }

    /** S: crops are S×S. */
    public int size() {
        return size;
    }

    /**
     * S·S·3 interleaved RGB bytes, row-major, of the face as the model takes it.
     *
     * @param face the detected face in photo coordinates; in {@code none} mode the crop's own face found
     *     again, or null to take the crop as sent
     */
    public byte[] crop(BufferedImage photo, Face face) {
        if (mode != Align.NONE && face == null) {
            throw new IllegalArgumentException(mode.id() + " alignment needs a detected face");
        }
        return switch (mode) {
            case NONE -> face == null ? FaceAligner.none(photo, size) : aligner.align(photo, face, size);
            case BOX -> FaceAligner.box(photo, face, size, boxMargin);
            case MTCNN -> aligner.align(photo, face, size);
        };
    }
}
