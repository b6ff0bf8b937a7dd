package org.dldlage.inference;

import java.util.List;

/** A request named a model that is not served. */
public final class UnknownModelException extends InferenceException {

    private final String model;
    private final List<String> available;

    public UnknownModelException(String model, List<String> available) {
        super("no model named '" + model + "'; served models: " + String.join(", ", available));
        this.model = model;
        this.available = List.copyOf(available);
    }

    public String model() {
        return model;
    }

    /** The names a request may use. */
    public List<String> available() {
        return available;
    }
}
