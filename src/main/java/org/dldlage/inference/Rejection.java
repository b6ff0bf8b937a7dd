package org.dldlage.inference;

import java.util.Locale;

/** Why the pipeline refused or dropped a request: the {@code reason} tag of {@code age.rejections}. */
public enum Rejection {
    /** Refused at admission: the in-flight limit was reached (counted with {@code model="none"}). */
    IN_FLIGHT,
    /** The model's inference queue was full. */
    QUEUE_FULL,
    /** The service is shutting down. */
    DRAINING,
    /** The model had no version loaded yet. */
    NOT_READY,
    /** Dropped before a stage because its deadline had passed. */
    DEADLINE;

    /** The tag value: {@code in_flight}, {@code queue_full}, ... */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
