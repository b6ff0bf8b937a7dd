package org.dldlage.inference;

import org.dldlage.core.AgeCheck;

/**
 * The configured age-check rule ({@code age.check.*}) and the checks requests ask for with
 * {@code minimumAge} and {@code buffer}.
 */
public final class AgeCheckPolicy {

    /** The largest buffer a request may ask for, in years. */
    public static final double MAX_BUFFER = 30;

    private final AgeCheck.Rule rule;
    private final double defaultBuffer;
    private final double passProbability;
    private final double failProbability;

    /**
     * @param defaultBuffer the buffer, in years, of requests that give none
     * @param passProbability P(age ≥ T) a face needs to pass under the probability rule
     * @param failProbability P(age ≥ T) at or under which a face fails
     */
    public AgeCheckPolicy(AgeCheck.Rule rule, double defaultBuffer, double passProbability, double failProbability) {
        this.rule = rule;
        this.defaultBuffer = defaultBuffer;
        this.passProbability = passProbability;
        this.failProbability = failProbability;
    }

    /**
     * The check a request asks for, or null when it asks none.
     *
     * @throws InvalidOptionException for a buffer without minimumAge, or values out of range
     */
    public AgeCheckRequest request(Integer minimumAge, Double buffer) {
        if (minimumAge == null) {
            if (buffer != null) {
                throw new InvalidOptionException("buffer needs minimumAge (the threshold it is added to)");
            }
            return null;
        }
        // whole years from 1 to 100: the label range, and a bounded set of values for the meter's tag
        if (minimumAge < 1 || minimumAge > 100) {
            throw new InvalidOptionException("minimumAge must be between 1 and 100 years, got " + minimumAge);
        }
        if (buffer != null && !(buffer >= 0 && buffer <= MAX_BUFFER)) {
            throw new InvalidOptionException("buffer must be between 0 and 30 years, got " + buffer);
        }
        return new AgeCheckRequest(new AgeCheck(minimumAge, buffer == null ? defaultBuffer : buffer, rule, passProbability,
                failProbability));
    }
}
