package org.dldlage.inference;

import org.dldlage.face.decode.ImageDecodeException;

/** The uploaded bytes are not an image the pipeline can take; {@link #reason()} says why. */
public final class ImageRejectedException extends InferenceException {

    /** Why the image was refused: the decoder's reasons ({@link ImageDecodeException.Reason}), for callers that do not see it. */
    public enum Reason { UNREADABLE, TOO_MANY_PIXELS, UNSUPPORTED_FORMAT, TOO_SMALL }

    private final Reason reason;

    ImageRejectedException(ImageDecodeException e) {
        super(e.getMessage(), e);
        this.reason = Reason.valueOf(e.reason().name());
    }

    public Reason reason() {
        return reason;
    }
}
