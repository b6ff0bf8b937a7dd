package org.dldlage.inference;

import org.dldlage.core.AgeCheck;

/**
 * The configured age-check rule ({@code age.check.*}) and the checks requests ask for with
 * {@code minimumAge} and {@code buffer}.
 */
public final class AgeCheckPolicy {

    /** The largest buffer a request may ask for, in years. */
    public static final double MAX_BUFFER = 30;

    private final AgeCheck rule;

    /**
     * @param rule the rule with its probabilities and the default buffer (at any threshold: requests set their own)
     */
    public AgeCheckPolicy(AgeCheck rule) {
        this.rule = rule;
    }

    /** The default buffer of requests that give none. */
    public double defaultBuffer() {
        return rule.buffer();
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
        return new AgeCheckRequest(rule.with(minimumAge, buffer == null ? rule.buffer() : buffer));
    }
}
