package org.dldlage.inference;

import org.dldlage.core.AgeCheck;
import org.dldlage.core.AgeDistribution;

/** One request's age check ("is this face at least T?") under the configured rule; see {@link AgeCheck}. */
public final class AgeCheckRequest {

    private final AgeCheck check;

    AgeCheckRequest(AgeCheck check) {
        this.check = check;
    }

    /** T, in whole years. */
    public int minimumAge() {
        return (int) check.minimumAge();
    }

    public double buffer() {
        return check.buffer();
    }

    /** {@code estimate} or {@code probability}. */
    public String rule() {
        return check.rule().code();
    }

    public double passProbability() {
        return check.passProbability();
    }

    public double failProbability() {
        return check.failProbability();
    }

    /** The rule in words. */
    public String describe() {
        return check.describe();
    }

    /**
     * One face's answer.
     *
     * @param probabilityAtLeast P(age ≥ T) from p̂, null for a method without a distribution
     * @param decision {@code pass}, {@code refer} or {@code fail}
     */
    public record Decision(Double probabilityAtLeast, String decision) {}

    /** The face's P(age ≥ T) and decision. */
    public Decision decide(Estimation.FaceAge face) {
        AgeDistribution p = face.distribution();
        Double atLeast = p == null ? null : p.probabilityAtLeast(check.minimumAge());
        return new Decision(atLeast, check.decide(face.age(), atLeast == null ? Double.NaN : atLeast).code());
    }
}
