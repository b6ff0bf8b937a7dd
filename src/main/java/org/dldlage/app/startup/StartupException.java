package org.dldlage.app.startup;

/** The service cannot start with its configuration; the message says why in one line. */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }
}
