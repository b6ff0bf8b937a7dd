package org.dldlage.inference;

import org.dldlage.face.align.Align;
import org.dldlage.face.detect.FaceDetector;

/**
 * A request's options as sent, checked against the limits and completed with the configured defaults
 * ({@code age.detection.*}, {@code age.limits.max-faces}): the one place they are checked, so the API,
 * its documentation and the service agree.
 *
 * @param align {@code align} when a request gives none
 * @param maxFaces {@code maxFaces} when a request gives none
 * @param minFaceSize {@code minFaceSize} when a request gives none, in pixels
 * @param maxFacesLimit the largest {@code maxFaces} a request may ask for
 */
public record RequestDefaults(Align align, int maxFaces, int minFaceSize, int maxFacesLimit) {

    /** The smallest {@code minFaceSize}: P-Net's window. */
    public static final int MIN_FACE_SIZE = FaceDetector.MIN_FACE_SIZE;
    /** The largest {@code minFaceSize}. */
    public static final int MAX_FACE_SIZE = FaceDetector.MAX_FACE_SIZE;

    /** The default {@code align} as requests spell it. */
    public String alignId() {
        return align.id();
    }

    /** The default {@code maxFaces} in effect (never above the limit). */
    public int effectiveMaxFaces() {
        return Math.min(maxFaces, maxFacesLimit);
    }

    /**
     * @param align {@code mtcnn}, {@code box} or {@code none}; null: the default
     * @param model a served model's name; null or blank: the default model
     * @throws InvalidOptionException naming the option, its range and the value
     */
    public EstimateOptions resolve(String align, Integer maxFaces, Integer minFaceSize, Boolean flip, String model) {
        Align a = this.align;
        if (align != null) {
            try {
                a = Align.parse(align);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException(e.getMessage());
            }
        }
        int faces = maxFaces == null ? effectiveMaxFaces() : maxFaces;
        if (faces < 1 || faces > maxFacesLimit) {
            throw new InvalidOptionException("maxFaces must be between 1 and " + maxFacesLimit + ", got " + faces);
        }
        int side = minFaceSize == null ? this.minFaceSize : minFaceSize;
        if (side < MIN_FACE_SIZE || side > MAX_FACE_SIZE) {
            throw new InvalidOptionException("minFaceSize must be between " + MIN_FACE_SIZE + " and " + MAX_FACE_SIZE
                    + " pixels, got " + side);
        }
        return new EstimateOptions(a, faces, side, flip == null || flip, model == null || model.isBlank() ? null : model);
    }
}
