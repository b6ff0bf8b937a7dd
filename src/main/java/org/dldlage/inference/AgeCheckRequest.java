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

    /**
     * The check and its rule, as a caller reports them.
     *
     * @param rule {@code estimate} or {@code probability}
     * @param description the rule in words
     */
    public record Summary(int minimumAge, double buffer, String rule, double passProbability, double failProbability,
            String description) {}

    public Summary summary() {
        return new Summary(minimumAge(), check.buffer(), check.rule().code(), check.passProbability(), check.failProbability(),
                check.describe());
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
