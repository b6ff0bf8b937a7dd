package org.dldlage.train.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dldlage.core.AgeMetrics;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.train.cli.ReportSet;

/** The report.md and model.json metrics of a bundle scored on several sets ({@link ReportCommand}). */
final class BundleReport {

    /**
     * One set's scores.
     *
     * @param images labelled images
     * @param noFace images where MTCNN found no face (left out of the errors)
     * @param unreadable images that could not be decoded
     * @param flip calibrated, image + mirror (what the service answers)
     * @param plain calibrated, image only
     * @param coverageBefore 80% interval coverage before the calibration (image + mirror)
     */
    record SetScore(ReportSet set, int images, int noFace, int unreadable, Evaluation.Result flip, Evaluation.Result plain,
            double coverageBefore) {
        String key() {
            return set.name() + "." + (set.split() == null ? "all" : set.split()) + (set.crops() ? ".crops" : "");
        }

        double found() {
            return images == 0 ? 0 : (double) flip.overall().count() / images;
        }
    }

    private static final Map<String, String> GENDERS = Map.of("0", "male", "1", "female");
    private static final Map<String, String> RACES = Map.of("0", "White", "1", "Black", "2", "Asian", "3", "Indian", "4", "Others");

    private BundleReport() {}

    /** {@code SET.SPLIT.metric} for model.json (served by GET /v1/models). */
    static Map<String, Double> metrics(List<SetScore> scores) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (SetScore s : scores) {
            AgeMetrics o = s.flip().overall();
            m.put(s.key() + ".n", (double) o.count());
            m.put(s.key() + ".facesFound", round(s.found()));
            m.put(s.key() + ".mae", round(o.mae()));
            m.put(s.key() + ".epsilonError", round(o.epsilonError()));
            m.put(s.key() + ".cs5", round(o.cumulativeScore(5)));
            m.put(s.key() + ".meanError", round(o.meanError()));
            m.put(s.key() + ".coverage80", round(o.coverage()));
            m.put(s.key() + ".maeWithoutFlip", round(s.plain().overall().mae()));
        }
        return m;
    }

    static void write(Path dir, BundleManifest m, List<SetScore> scores, double sigma) throws IOException {
        StringBuilder r = new StringBuilder();
        r.append("# ").append(m.name()).append("\n\n");
        String method = m.method().equals("dldl-v2") ? "dldl-v2 (λ = " + m.lambda() + ")" : m.method();
        r.append(String.format(Locale.ROOT, "%s (width %.2f), input %d×%d, method %s, labels %s:%s:%s, alignment %s.%n%n",
                m.architecture(), m.width(), m.inputSize(), m.inputSize(), method, fmt(m.labels().min()),
                fmt(m.labels().step()), fmt(m.labels().max()), m.alignment() == null ? "crop" : m.alignment().mode()));
        if (m.training() != null) {
            r.append("Training data: ").append(m.training().data()).append(".\n\nLicences: ").append(m.training().licence())
                    .append(".\n\nEpochs run: ").append(m.training().epochs()).append(", kept: epoch ")
                    .append(m.training().bestEpoch()).append(".\n\n");
        }
        if (m.calibration() != null) {
            r.append(String.format(Locale.ROOT, "Calibration: p̂ = softmax(z / T) with T = %.3f, fitted on %s.%n%n",
                    m.calibration().temperature(), m.calibration().fittedOn()));
        }
        r.append("## Every set through the service's path\n\n");
        r.append("`align=mtcnn` (MTCNN's largest face warped onto the bundle's template; a tight crop with no face found is ")
                .append("searched again with its edges padded) unless the row says `align=none`: each image a face crop as the ")
                .append("service takes one (a model trained on aligned faces finds the crop's own face again and warps it ")
                .append("onto the template, else the crop is resized; never left out), ")
                .append("mirror averaging on, the calibrated p̂. Images where no face ")
                .append("is found are left out of the errors and counted. ε-error uses each image's σ where the labels have ")
                .append("one (APPA-REAL's vote std), else σ = ").append(fmt(sigma)).append(".\n\n");
        r.append("| set | split | role | path | images | face found | n | MAE | MAE image only | ε-error | CS@5 | mean error | 80% coverage (before calibration) |\n");
        r.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SetScore s : scores) {
            AgeMetrics o = s.flip().overall();
            r.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %.1f%% | %d | **%.2f** | %.2f | %.3f | %.3f | %+.2f | %.3f (%.3f) |%n",
                    s.set().name(), s.set().split() == null ? "all" : s.set().split(), s.set().role(),
                    s.set().crops() ? "`align=none`" : "`align=mtcnn`", s.images(),
                    100 * s.found(), o.count(), o.mae(), s.plain().overall().mae(), o.epsilonError(), o.cumulativeScore(5),
                    o.meanError(), o.coverage(), s.coverageBefore()));
        }
        r.append("\nMean error is ŷ − y (positive: too old). Roles: `val` sets selected the epoch and fitted the ")
                .append("calibration; `test` and `cross` sets (never trained on) were scored once.\n\n");
        r.append("Licences of the sets: ");
        for (int i = 0; i < scores.size(); i++) {
            r.append(i == 0 ? "" : "; ").append(scores.get(i).set().name()).append(": ").append(scores.get(i).set().licence());
        }
        r.append(".\n");
        for (SetScore s : scores) {
            r.append("\n## ").append(s.set().name()).append(' ').append(s.set().split() == null ? "" : s.set().split())
                    .append(s.set().crops() ? " (align=none)" : "").append(" by age decade\n\n| decade | n | MAE | mean error (bias) | CS@5 | coverage80 |\n|---|---|---|---|---|---|\n");
            s.flip().byDecade().forEach((d, a) -> r.append(String.format(Locale.ROOT, "| %d–%d | %d | %.2f | %+.2f | %.3f | %.3f |%n",
                    d, d + 9, a.count(), a.mae(), a.meanError(), a.cumulativeScore(5), a.coverage())));
            group(r, s.set().name() + " by gender", s.flip().byGender(), GENDERS);
            if (!s.flip().byRace().isEmpty()) {
                group(r, s.set().name() + " by race", s.flip().byRace(), RACES);
            }
        }
        if (Files.exists(dir.resolve(Reports.CURVE))) {
            r.append("\n![training curve](").append(Reports.CURVE).append(")\n");
        }
        Files.writeString(dir.resolve(Reports.REPORT), r.toString());
    }

    private static void group(StringBuilder r, String title, Map<String, AgeMetrics> groups, Map<String, String> names) {
        if (groups.isEmpty()) {
            return;
        }
        r.append("\n").append(title).append(":\n\n| group | n | MAE | mean error | CS@5 |\n|---|---|---|---|---|\n");
        groups.forEach((g, a) -> r.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %+.2f | %.3f |%n",
                names.getOrDefault(g, g), a.count(), a.mae(), a.meanError(), a.cumulativeScore(5))));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double round(double v) {
        return Double.isNaN(v) ? Double.NaN : Math.round(v * 10000) / 10000.0;
    }
}
