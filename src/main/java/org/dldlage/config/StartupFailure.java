package org.dldlage.config;

import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.validation.FieldError;

/** Turns a failed start (bad option, bad data, bad bundle) into one line a person can act on. */
public final class StartupFailure {

    private StartupFailure() {}

    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindValidationException v) {
                return v.getValidationErrors().getAllErrors().stream()
                        .map(e -> e instanceof FieldError f
                                ? v.getValidationErrors().getName() + "." + f.getField() + ": " + f.getDefaultMessage()
                                        + " (was " + f.getRejectedValue() + ")"
                                : v.getValidationErrors().getName() + ": " + e.getDefaultMessage())
                        .collect(Collectors.joining("; "));
            }
            if (t instanceof BindException b && b.getCause() != null && !(b.getCause() instanceof BindValidationException)) {
                return "invalid value for " + b.getName() + ": " + firstLine(rootCause(b).getMessage());
            }
        }
        Throwable root = rootCause(failure);
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : firstLine(message);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
