package org.dldlage.app.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports a failed start-up as a single ERROR line (Boot's multi-line report is switched off in
 * {@code application.yml}); the process then exits non-zero.
 */
public class OneLineFailureReporter implements FailureAnalysisReporter {

    private static final Logger log = LoggerFactory.getLogger("org.dldlage.startup");

    @Override
    public void report(FailureAnalysis analysis) {
        String line = "dldl-age did not start: " + analysis.getDescription().replaceAll("\\s*\\R\\s*", " ").trim();
        if (analysis.getAction() != null && !analysis.getAction().isBlank()) {
            line += " (" + analysis.getAction().replaceAll("\\s*\\R\\s*", " ").trim() + ")";
        }
        log.error(line);
    }
}
