package org.dldlage.api;

/**
 * What a request may send and what a refusal tells the client, from {@code age.limits.*} and
 * {@code age.batching.retry-after} (the wiring part builds it from the typed properties, their one home).
 *
 * @param maxImageBytes largest upload (multipart part or raw body); larger gets 413
 * @param maxBatchImages most {@code image} parts in one {@code POST /v1/age/batch}
 * @param maxInFlight requests inside the pipeline at once
 * @param retryAfterSeconds the {@code Retry-After} sent with 429 and 503
 */
public record ApiLimits(long maxImageBytes, int maxBatchImages, int maxInFlight, long retryAfterSeconds) {

    public ApiLimits {
        retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    String retryAfter() {
        return String.valueOf(retryAfterSeconds);
    }
}
