package org.dldlage.train.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dldlage.core.AgeMetrics;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** What a training run leaves beside its bundle: metrics.json, training-curve.png and report.md. */
public final class Reports {

    public static final String METRICS = "metrics.json";
    public static final String CURVE = "training-curve.png";
    public static final String REPORT = "report.md";

    private static final Map<String, String> GENDERS = Map.of("0", "male", "1", "female");
    private static final Map<String, String> RACES = Map.of("0", "White", "1", "Black", "2", "Asian", "3", "Indian", "4", "Others");

    private Reports() {}

    /** Per-epoch history as JSON and as a plot of training loss and validation MAE. */
    public static void writeHistory(Path dir, List<EpochRecord> history) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        EpochRecord best = EpochRecord.best(history);
        json.put("bestEpoch", best == null ? null : best.epoch());
        json.put("history", history);
        ModelBundles.JSON.writeValue(dir.resolve(METRICS).toFile(), json);
        if (history.isEmpty()) {
            return;
        }
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Training curve")
                .xAxisTitle("epoch").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.addSeries("training loss", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray())
                .setYAxisGroup(0);
        chart.addSeries(history.get(0).valMaeFlipBySet() != null ? "mean val MAE (mirror-averaged), years" : "validation MAE (mirror-averaged), years", epochs,
                history.stream().mapToDouble(EpochRecord::valMaeFlip).toArray()).setYAxisGroup(1);
        if (history.get(0).valMaeFlipBySet() != null) {
            // a multi-set run: each set's val MAE (the mean above selects the epoch)
            for (String set : history.get(0).valMaeFlipBySet().keySet()) {
                chart.addSeries(set + " val MAE (mirror-averaged)", epochs, history.stream()
                        .mapToDouble(r -> r.valMaeFlipBySet().getOrDefault(set, Double.NaN)).toArray()).setYAxisGroup(1);
            }
        } else {
            chart.addSeries("validation MAE, years", epochs,
                    history.stream().mapToDouble(EpochRecord::valMae).toArray()).setYAxisGroup(1);
        }
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(0, "loss");
        chart.setYAxisGroupTitle(1, "MAE (years)");
        BitmapEncoder.saveBitmap(chart, dir.resolve(CURVE).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The test metrics stored in model.json. */
    public static Map<String, Double> summary(AgeMetrics flip, AgeMetrics plain) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("n", (double) flip.count());
        m.put("mae", round(flip.mae()));
        m.put("epsilonError", round(flip.epsilonError()));
        m.put("cs5", round(flip.cumulativeScore(5)));
        m.put("meanError", round(flip.meanError()));
        m.put("coverage80", round(flip.coverage()));
        m.put("maeWithoutFlip", round(plain.mae()));
        return m;
    }

    /** Writes report.md and stores the test metrics in the bundle's model.json. */
    public static void writeTestReport(Path dir, Evaluation.Result flip, Evaluation.Result plain, double sigma) throws IOException {
        BundleManifest m = ModelBundles.readManifest(dir);
        BundleManifest updated = m.withTestMetrics(summary(flip.overall(), plain.overall()));
        ModelBundles.writeManifest(dir, updated);

        StringBuilder r = new StringBuilder();
        r.append("# ").append(m.name()).append(": test report\n\n");
        // λ weighs the expectation loss of DLDL-v2 only (eq. 13); the other methods ignore it
        String method = m.method().equals("dldl-v2") ? "dldl-v2 (λ = " + m.lambda() + ")" : m.method();
        r.append(String.format("%s (width %.2f), input %d×%d, method %s, labels %s:%s:%s.%n%n",
                m.architecture(), m.width(), m.inputSize(), m.inputSize(), method,
                fmt(m.labels().min()), fmt(m.labels().step()), fmt(m.labels().max())));
        r.append("Training data: ").append(m.training().data()).append(". Licence: ").append(m.training().licence()).append(".\n");
        r.append("Epochs run: ").append(m.training().epochs()).append(", kept: epoch ").append(m.training().bestEpoch())
                .append(" (best validation MAE with mirror averaging).\n\n");
        AgeMetrics o = flip.overall();
        AgeMetrics p = plain.overall();
        r.append("## Test split\n\n");
        r.append("| | n | MAE | ε-error (σ = ").append(fmt(sigma)).append(") | CS@5 | mean error | 80% interval coverage |\n");
        r.append("|---|---|---|---|---|---|---|\n");
        r.append(row("image + mirror (served)", o)).append(row("image only", p)).append('\n');
        r.append("Mean error is ŷ − y: positive means the model guesses too old. Coverage is how often the true age ")
                .append("falls inside the central 80% of the predicted distribution p̂ (calibrated: about 0.80).\n\n");
        r.append("## By age decade (image + mirror)\n\n| decade | n | MAE | mean error (bias) | CS@5 | coverage80 |\n|---|---|---|---|---|---|\n");
        flip.byDecade().forEach((d, a) -> r.append(String.format("| %d–%d | %d | %.2f | %+.2f | %.3f | %.3f |%n",
                d, d + 9, a.count(), a.mae(), a.meanError(), a.cumulativeScore(5), a.coverage())));
        group(r, "gender", flip.byGender(), GENDERS);
        group(r, "race", flip.byRace(), RACES);
        r.append("\n![training curve](").append(CURVE).append(")\n");
        Files.writeString(dir.resolve(REPORT), r.toString());
    }

    private static void group(StringBuilder r, String name, Map<String, AgeMetrics> groups, Map<String, String> names) {
        if (groups.isEmpty()) {
            return;
        }
        r.append("\n## By ").append(name).append(" (image + mirror)\n\n| ").append(name)
                .append(" | n | MAE | mean error | CS@5 |\n|---|---|---|---|---|\n");
        groups.forEach((g, a) -> r.append(String.format("| %s | %d | %.2f | %+.2f | %.3f |%n",
                names.getOrDefault(g, g), a.count(), a.mae(), a.meanError(), a.cumulativeScore(5))));
    }

    private static String row(String name, AgeMetrics a) {
        return String.format("| %s | %d | %.3f | %.4f | %.3f | %+.3f | %.3f |%n", name, a.count(), a.mae(),
                a.epsilonError(), a.cumulativeScore(5), a.meanError(), a.coverage());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double round(double v) {
        return Double.isNaN(v) ? Double.NaN : Math.round(v * 10000) / 10000.0;
    }
}
