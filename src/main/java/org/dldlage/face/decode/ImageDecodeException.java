package org.dldlage.face.decode;

/**
 * Why an uploaded image cannot be used. The {@link Reason} is stable: the HTTP layer maps it to a
 * status (UNREADABLE and TOO_SMALL → 400, TOO_MANY_PIXELS → 413, UNSUPPORTED_FORMAT → 415), the
 * message says what is wrong in one line.
 */
public final class ImageDecodeException extends Exception {

    public enum Reason {
        /** Not decodable: empty, truncated or corrupt data in a supported format. */
        UNREADABLE,
        /** The header announces more pixels than allowed; refused before decoding the raster. */
        TOO_MANY_PIXELS,
        /** Not JPEG, PNG, BMP, GIF or WebP. */
        UNSUPPORTED_FORMAT,
        /** Smaller than the smallest side a face can be found in. */
        TOO_SMALL
    }

    private final Reason reason;

    public ImageDecodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
