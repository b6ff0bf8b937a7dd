package org.dldlage.face.detect;

import java.awt.image.BufferedImage;
import java.util.List;

/** Finds faces and their five landmarks in a photo. Implementations are thread-safe. */
public interface FaceDetector {

    /**
     * @param image an RGB image (orientation already corrected)
     * @param minFaceSize the smallest face side to look for, in pixels
     * @return faces, largest first
     */
    List<Face> detect(BufferedImage image, int minFaceSize);
}
