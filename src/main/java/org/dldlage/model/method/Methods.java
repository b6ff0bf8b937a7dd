package org.dldlage.model.method;

import java.util.List;
import java.util.Locale;
import org.dldlage.core.LabelSpace;

/** Creates a {@link TrainingMethod} by its configuration name. */
public final class Methods {

    public static final List<String> NAMES = List.of("dldl-v2", "dldl", "dex", "ranking", "mr-l1", "mr-l2");

    private Methods() {}

    /**
     * @param lambda λ of eq. (13), used by {@code dldl-v2} only
     * @throws IllegalArgumentException for an unknown name
     */
    public static TrainingMethod create(String name, LabelSpace space, double lambda) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "dldl-v2" -> new LabelDistributionLearning(space, lambda);
            case "dldl" -> new LabelDistributionLearning(space, 0);
            case "dex" -> new Dex(space);
            case "ranking" -> new Ranking(space);
            case "mr-l1" -> new Regression(space, true);
            case "mr-l2" -> new Regression(space, false);
            default -> throw new IllegalArgumentException(
                    "unknown method '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
        };
    }
}
