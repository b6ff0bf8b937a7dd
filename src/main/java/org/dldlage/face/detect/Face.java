package org.dldlage.face.detect;

/**
 * A detected face in image pixel coordinates (of the orientation-corrected image).
 *
 * @param x left edge of the box
 * @param y top edge of the box
 * @param width box width
 * @param height box height
 * @param score detector confidence in [0, 1]
 * @param landmarks five (x, y) points in this order: left eye, right eye, nose, left mouth corner,
 *     right mouth corner ("left" as seen in the image), or null when the detector gives none
 */
public record Face(double x, double y, double width, double height, double score, double[][] landmarks) {

    public static final String[] LANDMARK_NAMES = {"leftEye", "rightEye", "nose", "mouthLeft", "mouthRight"};

    public double area() {
        return width * height;
    }
}
