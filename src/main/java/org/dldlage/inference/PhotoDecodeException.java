package org.dldlage.inference;

/** Why an upload could not be turned into an image. */
public class PhotoDecodeException extends Exception {

    public enum Reason {
        /** Not an image, or a broken one. */
        UNREADABLE,
        /** The header claims more pixels than the limit (nothing was decoded). */
        TOO_MANY_PIXELS,
        /** An image format this service cannot decode. */
        UNSUPPORTED_FORMAT,
        /** Too few pixels to hold a face. */
        TOO_SMALL
    }

    private final Reason reason;

    public PhotoDecodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
