package org.dldlage.face.align;

import java.util.Locale;

/** How a face is cut out of the photo before the network sees it. */
public enum Align {
    /** MTCNN box and five landmarks, warped onto the model's landmark template. */
    MTCNN,
    /** The detector's box, squared and resized, without rotation. */
    BOX,
    /** No detection: the whole image is one face (already a face crop). */
    NONE;

    public boolean needsDetector() {
        return this != NONE;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code mtcnn}, {@code box} or {@code none}. */
    public static Align parse(String value) {
        for (Align a : values()) {
            if (a.id().equalsIgnoreCase(value.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("align must be mtcnn, box or none, got '" + value + "'");
    }
}
