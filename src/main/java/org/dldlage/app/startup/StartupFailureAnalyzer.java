package org.dldlage.app.startup;

import java.util.stream.Collectors;
import org.dldlage.model.bundle.BundleException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;

/**
 * Turns the start-up failures an operator causes (a missing or corrupt bundle, a bad {@code age.*}
 * value, an unusable device) into one line naming the problem, instead of a stack trace.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StartupFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BundleException || t instanceof StartupException) {
                return analysis(t.getMessage(), t);
            }
            if (t instanceof BindValidationException v) {
                String errors = v.getValidationErrors().getAllErrors().stream().map(e -> {
                    if (e instanceof FieldError f) {
                        return v.getValidationErrors().getName() + "." + kebab(f.getField()) + " "
                                + f.getDefaultMessage() + " (was " + f.getRejectedValue() + ")";
                    }
                    return v.getValidationErrors().getName() + ": " + e.getDefaultMessage();
                }).collect(Collectors.joining("; "));
                return analysis("invalid configuration: " + errors, t);
            }
            if (t instanceof BindException b && b.getProperty() != null) {
                Throwable root = b;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return analysis("invalid configuration: " + b.getProperty().getName() + "=" + b.getProperty().getValue()
                        + " (" + explain(root.getMessage()) + ")", t);
            }
        }
        return null;
    }

    /** The root cause's message, first line only: for failures no rule above recognises. */
    public static String oneLine(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }

    /** "No enum constant a.b.C.x" becomes the list of accepted values. */
    static String explain(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("No enum constant ([\\w.$]+)\\.\\w+").matcher(
                message == null ? "" : message);
        if (m.find()) {
            String name = m.group(1);
            while (name.contains(".")) {
                try {
                    Object[] values = Class.forName(name).getEnumConstants();
                    if (values != null) {
                        return "must be one of " + java.util.Arrays.stream(values)
                                .map(v -> v.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
                    }
                    break;
                } catch (ClassNotFoundException e) {
                    int dot = name.lastIndexOf('.');
                    name = name.substring(0, dot) + "$" + name.substring(dot + 1);
                }
            }
        }
        return message;
    }

    private static FailureAnalysis analysis(String description, Throwable cause) {
        return new FailureAnalysis(description.replaceAll("\\s*\\R\\s*", " "), null, cause);
    }

    private static String kebab(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
