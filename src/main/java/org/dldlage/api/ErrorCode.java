package org.dldlage.api;

import org.dldlage.inference.ImageRejectedException;
import java.net.URI;
import org.springframework.http.HttpStatus;

/** The API's failures: each has a stable {@code code} (the problem's {@code type} ends with it) and a status. */
public enum ErrorCode {
    IMAGE_MISSING(HttpStatus.BAD_REQUEST, "No image was sent"),
    IMAGE_UNREADABLE(HttpStatus.BAD_REQUEST, "The image cannot be read"),
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request"),
    IMAGE_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "The upload is larger than the limit"),
    TOO_MANY_PIXELS(HttpStatus.PAYLOAD_TOO_LARGE, "The image has more pixels than the limit"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    UNSUPPORTED_IMAGE_FORMAT(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported image format"),
    INVALID_PARAMETER(HttpStatus.UNPROCESSABLE_ENTITY, "Invalid parameter value"),
    IMAGE_TOO_SMALL(HttpStatus.UNPROCESSABLE_ENTITY, "The image is too small"),
    ALIGN_UNAVAILABLE(HttpStatus.UNPROCESSABLE_ENTITY, "This alignment is not available"),
    NO_FACE(HttpStatus.UNPROCESSABLE_ENTITY, "No face to explain"),
    TOO_MANY_IMAGES(HttpStatus.PAYLOAD_TOO_LARGE, "More images than the limit"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    UNKNOWN_MODEL(HttpStatus.NOT_FOUND, "No such model"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    OVERLOADED(HttpStatus.TOO_MANY_REQUESTS, "The service is overloaded"),
    NOT_READY(HttpStatus.SERVICE_UNAVAILABLE, "The model is not loaded yet"),
    DRAINING(HttpStatus.SERVICE_UNAVAILABLE, "The service is shutting down"),
    MODEL_FAILED(HttpStatus.SERVICE_UNAVAILABLE, "The model failed to load or to run"),
    DEADLINE_EXCEEDED(HttpStatus.GATEWAY_TIMEOUT, "The request's deadline passed"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private final HttpStatus status;
    private final String title;

    ErrorCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** {@code image-unreadable} etc. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public URI type() {
        return URI.create("urn:dldl-age:problem:" + code());
    }

    /** The code of an image the service refused. */
    static ErrorCode forImage(ImageRejectedException.Reason reason) {
        return switch (reason) {
            case UNREADABLE -> IMAGE_UNREADABLE;
            case TOO_MANY_PIXELS -> TOO_MANY_PIXELS;
            case UNSUPPORTED_FORMAT -> UNSUPPORTED_IMAGE_FORMAT;
            case TOO_SMALL -> IMAGE_TOO_SMALL;
        };
    }

    /** The code for a status the framework produced itself. */
    static ErrorCode forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> IMAGE_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> INVALID_PARAMETER;
            case 503 -> NOT_READY;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
