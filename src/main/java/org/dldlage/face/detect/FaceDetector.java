package org.dldlage.face.detect;

import java.awt.image.BufferedImage;
import java.util.List;

/** Finds faces and their five landmarks in a photo. Implementations are thread-safe. */
public interface FaceDetector {

    /** The smallest face side a detector looks for: P-Net's 12-pixel window. */
    int MIN_FACE_SIZE = 12;
    /** The largest smallest-face side a request may ask for. */
    int MAX_FACE_SIZE = 10_000;
    /**
     * The smallest face side looked for when none is given: the training faces were detected with it
     * (train's detection cache), so serving finds the faces training saw.
     */
    int DEFAULT_MIN_FACE_SIZE = 20;

    /**
     * @param image an RGB image (orientation already corrected)
     * @param minFaceSize the smallest face side to look for, in pixels
     * @return faces, largest first
     */
    List<Face> detect(BufferedImage image, int minFaceSize);
}
