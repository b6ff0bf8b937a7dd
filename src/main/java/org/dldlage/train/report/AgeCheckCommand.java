package org.dldlage.train.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dldlage.core.AgeCheck;
import org.dldlage.face.align.Align;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.train.cli.AgeCheckOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code agecheck} profile ({@code --agecheck.model=BUNDLE}): measures the service's age check
 * ({@code age.check.*}) on the evaluation sets and writes docs/age-checks.md (see
 * {@link AgeCheckReport}). Logs go to stderr; the last line on stdout is one JSON object with the
 * default buffer and the false pass rates at it.
 */
public final class AgeCheckCommand {

    private static final Logger log = LoggerFactory.getLogger(AgeCheckCommand.class);

    private final AgeCheckOptions p;
    private final AgeCheck configured;

    /**
     * @param configured the service's configured rule ({@code age.check.*}) at T = 18 with its default buffer:
     *     the report sweeps T and the buffer under its rule and probabilities
     */
    public AgeCheckCommand(AgeCheckOptions options, AgeCheck configured) {
        this.p = options;
        this.configured = configured;
    }

    public void run() throws IOException {
        p.check();
        Align align = p.align();
        List<AgeCheckStudy.EvalSet> sets = new ArrayList<>();
        try (AgeModel model = AgeModel.load(p.model(), ai.djl.Device.cpu())) {
            for (String spec : p.sets()) {
                long t = System.nanoTime();
                AgeCheckStudy.EvalSet s = AgeCheckStudy.score(model, p.data(), spec, align, p.flip());
                log.info("{}: {} photos scored ({} without a usable face, {} rows skipped) in {} s", s.label(), s.scored().size(),
                        s.noFace(), s.skippedRows(), (System.nanoTime() - t) / 1_000_000_000L);
                sets.add(s);
            }
        }
        AgeCheckReport report = new AgeCheckReport(p, configured, sets, p.model().getFileName().toString());
        report.write(String.join(" ", command()));
        log.info("report written to {}", p.output().resolve(AgeCheckReport.MD));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("defaultBuffer", report.defaultBuffer());
        for (AgeCheckStudy.EvalSet s : sets) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (report.defaultBuffer() != null) {
                double b = report.defaultBuffer();
                m.put("falsePass13to17AtT18", report.falsePass(s, 18, b));
                m.put("pass25PlusAtT18", AgeCheckReport.pass25(s, report.check(18, b)));
                m.put("falsePass18to20AtT21", report.falsePass(s, 21, b));
            }
            m.put("n", s.scored().size());
            summary.put(s.label(), m);
        }
        System.out.println(ModelBundles.JSON.copy().disable(
                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
        System.out.flush();
    }

    /** The command that reproduces the report, as written into it (the options that differ from the defaults shown). */
    private List<String> command() {
        List<String> c = new ArrayList<>(List.of("java -jar target/dldl-age.jar --spring.profiles.active=agecheck",
                "--agecheck.model=" + p.model(), "--agecheck.data=" + p.data(), "--agecheck.align=" + p.align().id()));
        c.add("--agecheck.sets=" + String.join(",", p.sets()));
        if (!p.flip()) {
            c.add("--agecheck.flip=false");
        }
        c.add("--agecheck.output=" + p.output());
        return c;
    }
}
