package org.dldlage.train.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dldlage.core.AgeMetrics;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.train.cli.EvalOptions;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.LabelledFaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code evaluate} profile: scores a bundle on a folder of face crops. Logs go to stderr; the last
 * line on stdout is one JSON object with n, mae, epsilonError, cs5, meanError, coverage80, skipped and noFace.
 */
public final class EvaluateCommand {

    private static final Logger log = LoggerFactory.getLogger(EvaluateCommand.class);

    private final EvalOptions p;

    public EvaluateCommand(EvalOptions options) {
        this.p = options;
    }

    public void run() throws IOException {
        p.check();
        try (AgeModel model = AgeModel.load(p.model(), ai.djl.Device.cpu())) {
            // every labelled row counts: ages outside the label range are still scored
            LabelledFaces faces = LabelledFaces.read(p.labelsFile(), p.data(), p.split(),
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            FaceCache cache = Evaluation.asServed(faces.samples(), model, p.align());
            log.info("{} of {} photos had a face", cache.size(), faces.samples().size());
            int skipped = faces.skippedCount() + cache.unreadable();
            if (skipped > 0) {
                log.info("skipped {} rows: {}{}", skipped, faces.skipped(),
                        cache.unreadable() > 0 ? " and " + cache.unreadable() + " unreadable images" : "");
            }
            Evaluation.Result r = Evaluation.run(model, cache, p.flip(), p.sigma(), p.predictions() != null);
            if (p.predictions() != null) {
                writePredictions(p.predictions(), r);
            }
            if (p.explain() > 0) {
                Path sheet = p.reportDir().resolve("score-maps.png");
                int shown = ExplainSheet.write(model, cache, p.explain(), sheet);
                log.info("score-map sheet with {} faces written to {}", shown, sheet);
            }
            AgeMetrics o = r.overall();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("n", o.count());
            json.put("mae", finite(o.mae()));
            json.put("epsilonError", finite(o.epsilonError()));
            json.put("cs5", finite(o.cumulativeScore(5)));
            json.put("meanError", finite(o.meanError()));
            json.put("coverage80", finite(o.coverage()));
            json.put("skipped", skipped);
            json.put("noFace", cache.noFace());
            System.out.println(ModelBundles.JSON.copy().disable(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            System.out.flush();
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void writePredictions(Path file, Evaluation.Result r) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("file,age,predicted,lower80,upper80");
            for (Evaluation.Prediction pr : r.predictions()) {
                w.printf("%s,%s,%.3f,%.3f,%.3f%n", pr.sample().file().getFileName(), pr.sample().age(), pr.predicted(),
                        pr.lower80(), pr.upper80());
            }
        }
    }
}
