package org.dldlage.inference;

/** A request named a model whose bundle failed to load and that has no earlier version serving. */
public final class ModelFailedException extends InferenceException {

    private final String model;

    public ModelFailedException(String model, String reason) {
        super("model " + model + " failed to load: " + reason);
        this.model = model;
    }

    public String model() {
        return model;
    }
}
