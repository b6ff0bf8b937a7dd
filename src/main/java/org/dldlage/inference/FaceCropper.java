package org.dldlage.inference;

import java.awt.image.BufferedImage;
import org.dldlage.face.Face;
import org.dldlage.model.BundleManifest;

/** Cuts one face out of a photo as the S×S RGB crop the model expects. Implementations are thread-safe. */
public interface FaceCropper {

    /**
     * @param face the detected face, or null with {@link Align#NONE} (the whole image is the face)
     * @return S·S·3 RGB bytes, S = {@code model.inputSize()}
     */
    byte[] crop(BufferedImage image, Face face, Align align, BundleManifest model);
}
