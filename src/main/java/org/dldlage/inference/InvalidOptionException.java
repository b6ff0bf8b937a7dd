package org.dldlage.inference;

/** A request option outside what the service accepts (the message names the option, the range and the value). */
public final class InvalidOptionException extends InferenceException {

    public InvalidOptionException(String message) {
        super(message);
    }
}
