package org.dldlage.train.study;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.ModelBundles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * Writes the study's Markdown report: a table per question (rows with one label are the seeds of
 * one configuration: mean, then each seed), a line on the spread, claim (d)'s comparison and plot,
 * and every run's exact trainer options. A hand-written reading between the markers survives
 * rewrites.
 */
final class StudyReport {

    static final String READING_START = "<!-- reading: hand-written, kept when the study rewrites this file -->";
    static final String READING_END = "<!-- end of reading -->";
    static final String CHART = "ablation-tables.png";

    private StudyReport() {}

    static void write(StudyPlan plan, Study study, Map<String, Study.Result> results, Consumer<String> log) throws IOException {
        Path report = plan.report();
        Path docs = report.toAbsolutePath().getParent();
        Files.createDirectories(docs);
        String reading = keptReading(report);
        List<Study.Run> schedule = study.schedule();
        StringBuilder md = new StringBuilder();
        md.append("# Ablations: the paper's claims on our data\n\n");
        md.append(String.format("Written by the study profile; %d of %d runs finished. Re-run (resumes; finished runs are kept in `%s`):%n%n",
                results.size(), schedule.size(), plan.runs()));
        md.append("```\n./mvnw -B package -DskipTests\njava -jar target/dldl-age.jar --spring.profiles.active=study --study.plan=")
                .append(plan.file()).append("\n```\n\n");
        md.append("Protocol shared by every row (trainer options, `--train.*`): ");
        List<String> base = new ArrayList<>();
        plan.base().forEach((k, v) -> base.add("`" + k + "=" + v + "`"));
        md.append(String.join(", ", base)).append(". Data: `").append(plan.data().getFileName())
                .append("` (train to fit, val to keep the best epoch, test for every number below). Test metrics are with mirror ")
                .append("averaging; ε-error with σ = ").append(plan.base().getOrDefault("sigma", "2"))
                .append(" (the `sigma` option) for every image; coverage80 is the share of true ages inside ")
                .append("the central 80% of p̂ (— for methods without a distribution).\n\n");
        md.append(READING_START).append('\n').append(reading).append(READING_END).append("\n\n");

        StringBuilder sections = new StringBuilder();
        List<CategoryChart> charts = new ArrayList<>();
        for (StudyPlan.Question q : plan.questions()) {
            sections.append("## ").append(q.title()).append("\n\n");
            if (!q.claim().isBlank()) {
                sections.append("Paper: ").append(q.claim().strip()).append("\n\n");
            }
            if (q.kind() == StudyPlan.Kind.TABLE) {
                CategoryChart chart = chart(q, table(sections, q, study, results));
                if (chart != null) {
                    charts.add(chart);
                }
            } else {
                rankingCdf(sections, q, study, results, docs, log);
            }
        }
        if (!charts.isEmpty()) {
            // one y range for every panel, so a difference looks as large in one question as in another
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (Study.Result r : results.values()) {
                lo = Math.min(lo, r.mae());
                hi = Math.max(hi, r.mae());
            }
            double pad = Math.max(0.1, (hi - lo) * 0.08);
            for (CategoryChart c : charts) {
                c.getStyler().setYAxisMin(Math.floor((lo - pad) * 10) / 10);
                c.getStyler().setYAxisMax(Math.ceil((hi + pad) * 10) / 10);
            }
            grid(charts, 3, docs.resolve(CHART));
            md.append("![test MAE of every row: the mean, and the range over seeds](").append(CHART).append(")\n\n");
        }
        md.append(sections);

        md.append("## Runs\n\nEach run's exact trainer options (besides `--train.data`, `--train.output=").append(plan.runs())
                .append("/KEY`, `--train.template-samples=0`), its kept epoch and its training time on this machine.\n\n");
        md.append("| run | trainer options that differ from the protocol | kept epoch (val MAE) | training time |\n|---|---|---|---|\n");
        for (Study.Run run : schedule) {
            Study.Result r = results.get(run.key());
            List<String> diff = new ArrayList<>();
            run.settings().forEach((k, v) -> {
                if (!v.equals(plan.base().get(k))) {
                    diff.add("`--train." + k + "=" + v + "`");
                }
            });
            md.append("| `").append(run.key()).append("` | ").append(diff.isEmpty() ? "(the protocol)" : String.join(" ", diff))
                    .append(" | ").append(r == null ? "pending" : String.format("%d (%.2f)", r.bestEpoch(), r.valMae()))
                    .append(" | ").append(r == null ? "" : String.format("%.1f min", r.trainSeconds() / 60)).append(" |\n");
        }
        Path tmp = report.resolveSibling(report.getFileName() + ".tmp");
        Files.writeString(tmp, md.toString());
        Files.move(tmp, report, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The charts side by side, {@code columns} to a row (XChart's own grid needs a full last row). */
    private static void grid(List<CategoryChart> charts, int columns, Path png) throws IOException {
        int cols = Math.min(columns, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        int w = charts.get(0).getWidth();
        int h = charts.get(0).getHeight();
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(cols * w, rows * h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        javax.imageio.ImageIO.write(out, "png", png.toFile());
    }

    /** Test MAE per row: the mean as a point, the seeds' range as an error bar; null before any run finished. */
    private static CategoryChart chart(StudyPlan.Question q, Map<String, List<Study.Result>> byLabel) {
        List<String> labels = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> halfRanges = new ArrayList<>();
        byLabel.forEach((label, rs) -> {
            if (!rs.isEmpty()) {
                double lo = rs.stream().mapToDouble(Study.Result::mae).min().orElseThrow();
                double hi = rs.stream().mapToDouble(Study.Result::mae).max().orElseThrow();
                labels.add(label);
                means.add(mean(rs, Study.Result::mae));
                halfRanges.add((hi - lo) / 2);
            }
        });
        if (labels.isEmpty()) {
            return null;
        }
        String title = q.title().replaceAll(" \\(Table \\d\\)", "");
        CategoryChart c = new CategoryChartBuilder().width(560).height(380).title(title).yAxisTitle("test MAE (years)").build();
        c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setXAxisLabelRotation(labels.size() > 4 ? 30 : 0);
        c.addSeries("test MAE", labels, means, halfRanges);
        return c;
    }

    /** Writes the question's table; returns the finished runs by row label. */
    private static Map<String, List<Study.Result>> table(StringBuilder md, StudyPlan.Question q, Study study,
            Map<String, Study.Result> results) {
        md.append("| row | runs | test MAE | ε-error | CS@5 | coverage80 |\n|---|---|---|---|---|---|\n");
        Map<String, List<Study.Result>> byLabel = new LinkedHashMap<>();
        Map<String, Integer> planned = new LinkedHashMap<>();
        for (StudyPlan.Row row : q.rows()) {
            planned.merge(row.label(), 1, Integer::sum);
            Study.Result r = results.get(study.run(row).key());
            List<Study.Result> done = byLabel.computeIfAbsent(row.label(), k -> new ArrayList<>());
            if (r != null) {
                done.add(r);
            }
        }
        String best = null;
        double bestMae = Double.MAX_VALUE;
        double worstMae = -1;
        double seedSpread = 0;
        boolean complete = true;
        for (var e : byLabel.entrySet()) {
            List<Study.Result> rs = e.getValue();
            int n = planned.get(e.getKey());
            complete &= rs.size() == n;
            md.append("| ").append(e.getKey()).append(" | ").append(rs.size()).append(n > rs.size() ? " of " + n : "").append(" | ");
            if (rs.isEmpty()) {
                md.append("pending | | | |\n");
                continue;
            }
            md.append(cell(rs, Study.Result::mae, "%.2f")).append(" | ").append(cell(rs, Study.Result::epsilonError, "%.3f"))
                    .append(" | ").append(cell(rs, Study.Result::cs5, "%.3f")).append(" | ")
                    .append(Double.isNaN(rs.get(0).coverage80()) ? "—" : cell(rs, Study.Result::coverage80, "%.3f")).append(" |\n");
            double mae = mean(rs, Study.Result::mae);
            if (mae < bestMae) {
                bestMae = mae;
                best = e.getKey();
            }
            worstMae = Math.max(worstMae, mae);
            if (rs.size() > 1) {
                double lo = rs.stream().mapToDouble(Study.Result::mae).min().orElseThrow();
                double hi = rs.stream().mapToDouble(Study.Result::mae).max().orElseThrow();
                seedSpread = Math.max(seedSpread, hi - lo);
            }
        }
        md.append('\n');
        if (best != null) {
            md.append(String.format("%s: lowest test MAE %s (%.2f); the rows span %.2f years of MAE",
                    complete ? "Measured" : "So far (not all runs finished)", best, bestMae, worstMae - bestMae));
            if (seedSpread > 0) {
                md.append(String.format("; the largest difference between two seeds of one row is %.2f years", seedSpread));
            }
            md.append(".\n\n");
        }
        return byLabel;
    }

    /** Mean, and each run's value after it when there are several (the seeds). */
    private static String cell(List<Study.Result> rs, ToDoubleFunction<Study.Result> f, String format) {
        String mean = String.format(format, mean(rs, f));
        if (rs.size() == 1) {
            return mean;
        }
        List<String> each = new ArrayList<>();
        rs.forEach(r -> each.add(String.format(format, f.applyAsDouble(r))));
        return mean + " (" + String.join(" / ", each) + ")";
    }

    private static double mean(List<Study.Result> rs, ToDoubleFunction<Study.Result> f) {
        return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static void rankingCdf(StringBuilder md, StudyPlan.Question q, Study study, Map<String, Study.Result> results,
            Path docs, Consumer<String> log) throws IOException {
        Study.Run ranking = study.run(q.ranking());
        Study.Run distribution = study.run(q.distribution());
        if (!results.containsKey(ranking.key()) || !results.containsKey(distribution.key())) {
            md.append("Pending: needs the runs `").append(ranking.key()).append("` and `").append(distribution.key()).append("`.\n\n");
            return;
        }
        // computed once per pair of runs; the JSON beside the runs keeps it for later rewrites
        Path cache = ranking.dir().resolveSibling(q.id() + "-" + ranking.key() + "-" + distribution.key() + ".json");
        Path png = docs.resolve("ablation-" + q.id() + ".png");
        RankingCdf c;
        if (Files.isRegularFile(cache) && Files.isRegularFile(png)) {
            c = ModelBundles.JSON.readValue(cache.toFile(), RankingCdf.class);
        } else {
            log.accept("study: comparing " + ranking.key() + " with 1 − T·p̂ of " + distribution.key());
            try (AgeModel r = AgeModel.load(ranking.dir(), Device.cpu());
                    AgeModel d = AgeModel.load(distribution.dir(), Device.cpu())) {
                c = RankingCdf.compare(r, d, study.testFaces(ranking));
            }
            c.plot(png, q.ranking().label(), q.distribution().label());
            ModelBundles.JSON.writeValue(cache.toFile(), c);
        }
        md.append(String.format("On the %d test faces and K − 1 = %d thresholds, without mirror averaging:%n%n", c.n(), c.thresholds()));
        md.append("| compared | mean absolute difference |\n|---|---|\n");
        md.append(String.format("| %s σ(x_k) against 1 − T·p̂ of %s | **%.4f** |%n", q.ranking().label(), q.distribution().label(),
                c.meanAbsDifference()));
        md.append(String.format("| %s σ(x_k) against the true step 1[y > l_k] | %.4f |%n", q.ranking().label(), c.rankingVsTruth()));
        md.append(String.format("| 1 − T·p̂ of %s against the true step | %.4f |%n%n", q.distribution().label(), c.cdfVsTruth()));
        md.append("![ranking outputs and 1 − T·p̂ for four test faces](").append(png.getFileName()).append(")\n\n");
    }

    private static String keptReading(Path report) throws IOException {
        if (Files.isRegularFile(report)) {
            String old = Files.readString(report);
            int a = old.indexOf(READING_START);
            int b = old.indexOf(READING_END);
            if (a >= 0 && b > a) {
                return old.substring(a + READING_START.length() + 1, b);
            }
        }
        return "(The reading of these tables is written by hand once the runs are in.)\n";
    }
}
