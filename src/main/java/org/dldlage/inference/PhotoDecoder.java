package org.dldlage.inference;

import java.awt.image.BufferedImage;

/**
 * Turns uploaded bytes into an orientation-corrected image, refusing images whose header claims
 * more pixels than allowed before any raster is decoded. Implementations are thread-safe.
 */
public interface PhotoDecoder {

    BufferedImage decode(byte[] bytes) throws PhotoDecodeException;
}
