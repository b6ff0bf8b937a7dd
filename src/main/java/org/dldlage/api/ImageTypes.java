package org.dldlage.api;

import java.util.List;
import java.util.Locale;

/** The image media types the API takes as a raw body (the decoder reads the same five formats). */
final class ImageTypes {

    /** What the raw-body mappings consume; {@link #check} narrows it to {@link #ACCEPTED}. */
    static final String ANY = "image/*";
    /** The accepted types as the OpenAPI encoding lists them. */
    static final String LIST = "image/jpeg, image/png, image/bmp, image/gif, image/webp";
    /** The same in words, for error messages. */
    static final String WORDS = "image/jpeg, image/png, image/bmp, image/gif or image/webp";

    static final List<String> ACCEPTED = List.of(LIST.split(", "));

    private ImageTypes() {}

    /** A raw body's Content-Type outside {@link #ACCEPTED} is 415 unsupported-media-type. */
    static void check(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!ACCEPTED.contains(type)) {
            throw new ApiProblem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, unsupported(contentType));
        }
    }

    static String unsupported(Object contentType) {
        return "Content-Type " + contentType + " is not supported: send multipart/form-data with an 'image' part,"
                + " or a raw body with Content-Type " + WORDS;
    }
}
