package org.dldlage.core;

import java.util.Locale;

/**
 * An age check, "is this person at least {@code minimumAge}?", answered per face with {@code pass}
 * (confidently at least T), {@code fail} (confidently under T) or {@code refer} (uncertain: check a
 * document). The fail side is the same for both rules: P(age ≥ T) ≤ {@code failProbability}; it is
 * tested first, so a face is never passed while its own distribution says it is under T. The pass side:
 * <ul>
 *   <li>{@link Rule#ESTIMATE}: ŷ ≥ T + {@code buffer} (the retailers' "challenge 25" kind of rule; the
 *       buffer absorbs the model's error and its bias for teenagers);</li>
 *   <li>{@link Rule#PROBABILITY}: P(age ≥ T) ≥ {@code passProbability} (the buffer is not used).</li>
 * </ul>
 *
 * @param minimumAge T, in years
 * @param buffer years above T the estimate must reach to pass (rule {@code estimate})
 */
public record AgeCheck(double minimumAge, double buffer, Rule rule, double passProbability, double failProbability) {

    public enum Rule {
        ESTIMATE, PROBABILITY;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Decision {
        PASS, REFER, FAIL;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AgeCheck {
        if (!(minimumAge > 0) || !(buffer >= 0) || rule == null || !(passProbability > 0.5 && passProbability <= 1)
                || !(failProbability >= 0 && failProbability < 0.5)) {
            throw new IllegalArgumentException("an age check needs T > 0, buffer ≥ 0, a rule, pass probability in (0.5, 1]"
                    + " and fail probability in [0, 0.5)");
        }
    }

    /**
     * @param age ŷ, the expectation of p̂
     * @param probabilityAtLeast P(age ≥ T) from p̂, or NaN for a method without a distribution (then
     *     nothing is confidently under T, and only the estimate rule can pass)
     */
    public Decision decide(double age, double probabilityAtLeast) {
        boolean known = !Double.isNaN(probabilityAtLeast);
        if (known && probabilityAtLeast <= failProbability) {
            return Decision.FAIL;
        }
        boolean pass = switch (rule) {
            case ESTIMATE -> age >= minimumAge + buffer;
            case PROBABILITY -> known && probabilityAtLeast >= passProbability;
        };
        return pass ? Decision.PASS : Decision.REFER;
    }

    /** The decision for a predicted distribution. */
    public Decision decide(AgeDistribution p) {
        return decide(p.expectation(), p.probabilityAtLeast(minimumAge));
    }

    /** The same rule at another threshold and buffer. */
    public AgeCheck with(double minimumAge, double buffer) {
        return new AgeCheck(minimumAge, buffer, rule, passProbability, failProbability);
    }

    /** The rule in words, as the API answers it. */
    public String describe() {
        String fail = "fail when P(age ≥ " + fmt(minimumAge) + ") ≤ " + fmt(failProbability);
        String pass = switch (rule) {
            case ESTIMATE -> "pass when the estimate ≥ " + fmt(minimumAge + buffer) + " (T " + fmt(minimumAge) + " + buffer "
                    + fmt(buffer) + ")";
            case PROBABILITY -> "pass when P(age ≥ " + fmt(minimumAge) + ") ≥ " + fmt(passProbability);
        };
        return fail + "; else " + pass + "; else refer";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
