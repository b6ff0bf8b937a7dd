package org.dldlage.inference;

import org.dldlage.face.align.Align;

/** The request asks for face detection, but this service runs without a face detector. */
public final class AlignUnavailableException extends InferenceException {

    public AlignUnavailableException(Align align) {
        super("align=" + align.id() + " needs a face detector, and this service runs without one; use align=none with face crops");
    }
}
