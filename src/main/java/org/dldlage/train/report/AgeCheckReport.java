package org.dldlage.train.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.dldlage.core.AgeCheck;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.train.cli.AgeCheckOptions;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * docs/age-checks.md, age-checks.png and age-checks.json from scored sets: per T and buffer the share
 * of each true-age band that gets pass / refer / fail, the false pass rates, the default buffer (the
 * smallest whose 13–17 false pass rate at T = 18 meets the target on every set) and the pass rate
 * against true age.
 */
final class AgeCheckReport {

    static final String MD = "age-checks.md";
    static final String PNG = "age-checks.png";
    static final String JSON = "age-checks.json";

    /** T of the default buffer's criterion. */
    static final int CRITERION_T = 18;

    private final AgeCheckOptions p;
    private final AgeCheck rule;
    private final List<AgeCheckStudy.EvalSet> sets;
    private final String model;
    private final Double defaultBuffer;

    /** @param rule the service's configured rule (its fail and pass probabilities); T and buffer are swept */
    AgeCheckReport(AgeCheckOptions p, AgeCheck rule, List<AgeCheckStudy.EvalSet> sets, String model) {
        this.p = p;
        this.rule = rule;
        this.sets = sets;
        this.model = model;
        this.defaultBuffer = chooseDefault();
    }

    /** The smallest swept buffer whose 13–17 false pass rate at T = 18 is at most the target on every set; null if none. */
    Double defaultBuffer() {
        return defaultBuffer;
    }

    private Double chooseDefault() {
        for (double b : new TreeSet<>(p.buffers())) {
            boolean ok = true;
            for (AgeCheckStudy.EvalSet s : sets) {
                double fp = falsePass(s, CRITERION_T, b);
                ok &= Double.isNaN(fp) || fp <= p.targetFalsePass(); // a set without 13–17-year-olds cannot object
            }
            if (ok) {
                return b;
            }
        }
        return null;
    }

    AgeCheck check(int t, double buffer) {
        return new AgeCheck(t, buffer, AgeCheck.Rule.ESTIMATE, rule.passProbability(), rule.failProbability());
    }

    private AgeCheck probabilityRule(int t) {
        return new AgeCheck(t, 0, AgeCheck.Rule.PROBABILITY, rule.passProbability(), rule.failProbability());
    }

    /** Pass rate of the band just under T (13–17 for 18, 18–20 for 21). */
    double falsePass(AgeCheckStudy.EvalSet s, int t, double buffer) {
        return AgeCheckStudy.tally(s, check(t, buffer)).get(AgeCheckStudy.underBand(t)).passRate();
    }

    /** Pass rate of everyone 25 or older. */
    static double pass25(AgeCheckStudy.EvalSet s, AgeCheck c) {
        List<AgeCheckStudy.Tally> t = AgeCheckStudy.tally(s, c);
        return t.get(4).plus(t.get(5)).passRate();
    }

    /** Writes the three files; returns the JSON summary's map. */
    Map<String, Object> write(String command) throws IOException {
        Files.createDirectories(p.output());
        Map<String, Object> json = json();
        ModelBundles.JSON.writeValue(p.output().resolve(JSON).toFile(), json);
        picture(p.output().resolve(PNG));
        Files.writeString(p.output().resolve(MD), markdown(command));
        return json;
    }

    private List<Double> shown() {
        TreeSet<Double> b = new TreeSet<>(p.shownBuffers());
        if (defaultBuffer != null) {
            b.add(defaultBuffer);
        }
        return new ArrayList<>(b);
    }

    private Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", model);
        j.put("align", p.align().id());
        j.put("flip", p.flip());
        j.put("failProbability", rule.failProbability());
        j.put("passProbability", rule.passProbability());
        j.put("targetFalsePass", p.targetFalsePass());
        j.put("defaultBuffer", defaultBuffer);
        List<Map<String, Object>> setRows = new ArrayList<>();
        for (AgeCheckStudy.EvalSet s : sets) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("set", s.label());
            m.put("align", s.align().name().toLowerCase(Locale.ROOT));
            m.put("n", s.scored().size());
            m.put("noFace", s.noFace());
            m.put("skippedRows", s.skippedRows());
            List<Map<String, Object>> checks = new ArrayList<>();
            for (int t : p.thresholds()) {
                for (double b : p.buffers()) {
                    checks.add(entry(s, check(t, b)));
                }
                checks.add(entry(s, probabilityRule(t)));
            }
            m.put("checks", checks);
            setRows.add(m);
        }
        j.put("sets", setRows);
        return j;
    }

    private static Map<String, Object> entry(AgeCheckStudy.EvalSet s, AgeCheck c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minimumAge", (int) c.minimumAge());
        m.put("rule", c.rule().code());
        if (c.rule() == AgeCheck.Rule.ESTIMATE) {
            m.put("buffer", c.buffer());
        }
        List<AgeCheckStudy.Tally> t = AgeCheckStudy.tally(s, c);
        Map<String, Object> bands = new LinkedHashMap<>();
        for (int b = 0; b < t.size(); b++) {
            bands.put(AgeCheckStudy.BANDS.get(b).name(), t.get(b));
        }
        m.put("bands", bands);
        return m;
    }

    private String markdown(String command) {
        StringBuilder r = new StringBuilder();
        r.append("# Age checks: decisions and their error rates\n\n");
        r.append("Generated by the `agecheck` profile; do not edit by hand. Reproduce (about 10 minutes on 2 cores):\n\n```\n")
                .append(command).append("\n```\n\n");
        r.append("Model `").append(model).append("`, faces found with ").append(aligns())
                .append(p.flip() ? ", mirror averaging on" : ", no mirror averaging")
                .append(" (as the service answers `POST /v1/age?minimumAge=T&buffer=B`).\n\n");
        r.append("**The rule** (`age.check.*`, rule `estimate`): a face **fails** when P(age ≥ T) ≤ ")
                .append(fmt(rule.failProbability())).append(" (checked first); else it **passes** when the estimate ŷ ≥ T + buffer;")
                .append(" else it is **referred** (check a document). A photo without a usable face counts as refer.")
                .append(" The `probability` rule passes when P(age ≥ T) ≥ ").append(fmt(rule.passProbability()))
                .append(" instead; it is shown in the band tables for comparison.\n\n");
        r.append("False pass rate: the share of the band just under T that passes (13–17 at T = 18, 18–20 at T = 21).")
                .append(" APPA-REAL's ages are apparent ages (the mean of human guesses), UTKFace's and AAF's real ages.\n\n");
        r.append("## Summary at the default buffer\n\n");
        if (defaultBuffer == null) {
            r.append("No swept buffer (up to ").append(fmt(p.buffers().stream().mapToDouble(Double::doubleValue).max().orElse(0)))
                    .append(" years) keeps the 13–17 false pass rate at T = 18 at or under ").append(pct(p.targetFalsePass()))
                    .append(" on every set.\n\n");
        } else {
            r.append("Default buffer: **").append(fmt(defaultBuffer)).append(" years**, the smallest of the sweep whose false pass")
                    .append(" rate for 13–17 at T = 18 is at most ").append(pct(p.targetFalsePass())).append(" on every set.\n\n");
            r.append(summaryTable());
        }
        r.append("\n## Buffer sweep\n\n");
        for (int t : p.thresholds()) {
            String band = AgeCheckStudy.BANDS.get(AgeCheckStudy.underBand(t)).name();
            r.append("T = ").append(t).append(": false pass rate for ").append(band).append(" / pass rate for 25+.\n\n| buffer |");
            sets.forEach(s -> r.append(' ').append(s.label()).append(" |"));
            r.append('\n').append("|---".repeat(sets.size() + 1)).append("|\n");
            for (double b : p.buffers()) {
                r.append("| ").append(fmt(b)).append(defaultBuffer != null && b == defaultBuffer ? " (default)" : "").append(" |");
                for (AgeCheckStudy.EvalSet s : sets) {
                    r.append(' ').append(pct(falsePass(s, t, b))).append(" / ").append(pct(pass25(s, check(t, b)))).append(" |");
                }
                r.append('\n');
            }
            r.append('\n');
        }
        r.append("## Pass / refer / fail per true-age band\n\nEach cell: pass / refer / fail, share of the band (n).\n\n");
        for (int t : p.thresholds()) {
            for (double b : shown()) {
                bandTable(r, "T = " + t + ", buffer " + fmt(b) + (defaultBuffer != null && b == defaultBuffer ? " (default)" : ""),
                        check(t, b));
            }
            bandTable(r, "T = " + t + ", rule probability (pass when P(age ≥ " + t + ") ≥ " + fmt(rule.passProbability()) + ")",
                    probabilityRule(t));
        }
        r.append("## Pass rate against true age\n\n![pass rate against true age, one curve per buffer](").append(PNG).append(")\n\n");
        r.append("Photos per set: ");
        List<String> counts = new ArrayList<>();
        sets.forEach(s -> counts.add(s.label() + " " + s.scored().size() + " (" + s.noFace() + " without a usable face)"));
        r.append(String.join(", ", counts)).append(".\n");
        return r.toString();
    }

    /** How the sets' faces were found, e.g. {@code `align=mtcnn`} or per set when they differ. */
    private String aligns() {
        List<String> a = sets.stream().map(s -> s.align().name().toLowerCase(Locale.ROOT)).distinct().toList();
        if (a.size() == 1) {
            return "`align=" + a.get(0) + "`";
        }
        return String.join(", ", sets.stream().map(s -> "`align=" + s.align().name().toLowerCase(Locale.ROOT) + "` on " + s.label())
                .toList());
    }

    /** The README's table: per set the false pass rates and the 25+ pass rate at the default buffer. */
    String summaryTable() {
        StringBuilder r = new StringBuilder("| set | n | 13–17 passed at T = 18 | 25+ passed at T = 18 | 18–20 passed at T = 21 | 25+ passed at T = 21 |\n"
                + "|---|---|---|---|---|---|\n");
        for (AgeCheckStudy.EvalSet s : sets) {
            r.append("| ").append(s.label()).append(" | ").append(s.scored().size()).append(" | ")
                    .append(pct(falsePass(s, 18, defaultBuffer))).append(" | ").append(pct(pass25(s, check(18, defaultBuffer))))
                    .append(" | ").append(pct(falsePass(s, 21, defaultBuffer))).append(" | ")
                    .append(pct(pass25(s, check(21, defaultBuffer)))).append(" |\n");
        }
        return r.toString();
    }

    private void bandTable(StringBuilder r, String title, AgeCheck c) {
        r.append("**").append(title).append("**\n\n| band |");
        sets.forEach(s -> r.append(' ').append(s.label()).append(" |"));
        r.append('\n').append("|---".repeat(sets.size() + 1)).append("|\n");
        List<List<AgeCheckStudy.Tally>> tallies = sets.stream().map(s -> AgeCheckStudy.tally(s, c)).toList();
        for (int b = 0; b < AgeCheckStudy.BANDS.size(); b++) {
            r.append("| ").append(AgeCheckStudy.BANDS.get(b).name()).append(" |");
            for (List<AgeCheckStudy.Tally> t : tallies) {
                AgeCheckStudy.Tally x = t.get(b);
                r.append(x.n() == 0 ? " – |" : String.format(Locale.ROOT, " %s / %s / %s (%d) |", pct(x.share(x.pass())),
                        pct(x.share(x.refer())), pct(x.share(x.fail())), x.n()));
            }
            r.append('\n');
        }
        r.append('\n');
    }

    /** One chart per T and set: pass rate per 2-year bin of true age, a curve per shown buffer. */
    private void picture(Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (int t : p.thresholds()) {
            for (AgeCheckStudy.EvalSet s : sets) {
                XYChart c = new XYChartBuilder().width(520).height(360).title(s.label() + ", T = " + t)
                        .xAxisTitle("true age (years)").yAxisTitle("passed").build();
                c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
                c.getStyler().setYAxisMin(0.0);
                c.getStyler().setYAxisMax(1.0);
                c.getStyler().setXAxisMin(0.0);
                c.getStyler().setXAxisMax(80.0);
                c.getStyler().setYAxisDecimalPattern("0%");
                c.getStyler().setMarkerSize(4);
                for (double b : shown()) {
                    double[][] xy = curve(s, check(t, b));
                    if (xy[0].length > 0) {
                        c.addSeries("buffer " + fmt(b), xy[0], xy[1]).setMarker(SeriesMarkers.CIRCLE);
                    }
                }
                c.addSeries("T", new double[] {t, t}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE)
                        .setLineColor(java.awt.Color.GRAY);
                charts.add(c);
            }
        }
        int cols = sets.size();
        int rows = (charts.size() + cols - 1) / cols;
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(cols * 520, rows * 360,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * 520, (i / cols) * 360, null);
        }
        g.dispose();
        javax.imageio.ImageIO.write(out, "png", png.toFile());
    }

    /** Pass rate per 2-year bin of true age (bins with at least 3 photos), up to 80. */
    private static double[][] curve(AgeCheckStudy.EvalSet s, AgeCheck c) {
        int[] n = new int[40];
        int[] pass = new int[40];
        for (AgeCheckStudy.Scored x : s.scored()) {
            int bin = (int) Math.floor(x.age() / 2);
            if (bin >= 0 && bin < n.length) {
                n[bin]++;
                if (x.decide(c) == AgeCheck.Decision.PASS) {
                    pass[bin]++;
                }
            }
        }
        List<double[]> pts = new ArrayList<>();
        for (int b = 0; b < n.length; b++) {
            if (n[b] >= 3) {
                pts.add(new double[] {2 * b + 1, (double) pass[b] / n[b]});
            }
        }
        return new double[][] {pts.stream().mapToDouble(v -> v[0]).toArray(), pts.stream().mapToDouble(v -> v[1]).toArray()};
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
