package org.dldlage.inference;

import org.dldlage.face.decode.ImageDecodeException;

/** The uploaded bytes are not an image the pipeline can take; {@link #reason()} says why. */
public final class ImageRejectedException extends InferenceException {

    /** Why the image was refused. */
    public enum Reason {
        /** Not an image, or truncated. */
        UNREADABLE,
        /** Width × height over the limit, read from the header before decoding. */
        TOO_MANY_PIXELS,
        /** An image format this service does not decode. */
        UNSUPPORTED_FORMAT,
        /** Narrower or lower than the smallest side accepted. */
        TOO_SMALL
    }

    private final Reason reason;

    ImageRejectedException(ImageDecodeException e) {
        super(e.getMessage(), e);
        this.reason = switch (e.reason()) {
            case UNREADABLE -> Reason.UNREADABLE;
            case TOO_MANY_PIXELS -> Reason.TOO_MANY_PIXELS;
            case UNSUPPORTED_FORMAT -> Reason.UNSUPPORTED_FORMAT;
            case TOO_SMALL -> Reason.TOO_SMALL;
        };
    }

    public Reason reason() {
        return reason;
    }
}
