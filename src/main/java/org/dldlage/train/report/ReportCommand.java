package org.dldlage.train.report;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dldlage.face.align.Align;
import org.dldlage.face.align.FaceAligner;
import org.dldlage.face.align.Framing;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.train.cli.ReportOptions;
import org.dldlage.train.cli.ReportSet;
import org.dldlage.train.data.DetectionCache;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.LabelledFaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code report} profile: scores a bundle on several labelled sets through the
 * service's own path (MTCNN, largest face, the bundle's template, mirror averaging), fits the
 * temperature that makes its 80% intervals hold on the {@code val} sets, and rewrites the bundle's
 * report.md and model.json metrics.
 */
public final class ReportCommand {

    private static final Logger log = LoggerFactory.getLogger(ReportCommand.class);
    /** Bisection steps on log T in [0.35, 3]: the fitted T is within 2% of the target's. */
    private static final int FIT_STEPS = 6;

    /** What the served 80% interval should hold. */
    static final double TARGET_COVERAGE = 0.8;

    private final ReportOptions p;

    public ReportCommand(ReportOptions options) {
        this.p = options;
    }

    public void run() throws IOException {
        Path dir = p.model();
        List<BundleReport.SetScore> scores = new ArrayList<>();
        try (AgeModel loaded = AgeModel.load(dir, Device.cpu()); Mtcnn mtcnn = Mtcnn.load()) {
            BundleManifest m = loaded.manifest();
            Framing framing = new Framing(Align.MTCNN, m.inputSize(), m.alignmentTemplate(), FaceAligner.DEFAULT_BOX_MARGIN);
            Framing crops = new Framing(Align.NONE, m.inputSize(), m.alignmentTemplate(), FaceAligner.DEFAULT_BOX_MARGIN);
            List<FaceCache> faces = new ArrayList<>();
            List<LabelledFaces> labelled = new ArrayList<>();
            for (ReportSet set : p.sets()) {
                // every labelled row counts, as in evaluate: ages outside the label range are still scored
                LabelledFaces f = LabelledFaces.read(set.labels(), set.images(), set.split(), Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY);
                FaceCache c;
                if (set.crops() && !m.trainedOnAlignedFaces()) {
                    c = new FaceCache(f.samples(), m.inputSize()); // align=none: the crop resized, as the service does
                } else {
                    List<Path> files = f.samples().stream().map(LabelledFaces.Sample::file).toList();
                    DetectionCache cache = DetectionCache.mtcnn(DetectionCache.root(p.cacheDir()), set.images(), files,
                            mtcnn, log::info);
                    // align=none as the service takes a crop: its own face found again and warped, else resized
                    c = new FaceCache(f.samples(), m.inputSize(), cache.preparer(set.crops() ? crops : framing));
                    if (set.crops()) {
                        log.info(String.format(Locale.ROOT, "%s (align=none): %d of %d crops re-framed on their own face",
                                set.name(), cache.ownFaces(files), f.samples().size()));
                    }
                }
                log.info(String.format(Locale.ROOT, "%s: %d of %d images with a face", set.name(), c.size(), f.samples().size()));
                faces.add(c);
                labelled.add(f);
            }
            AgeModel uncalibrated = loaded.withCalibration(null);
            BundleManifest.Calibration calibration = m.calibration();
            if (p.calibrate()) {
                List<FaceCache> val = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < p.sets().size(); i++) {
                    // the served default path: align=mtcnn rows only (a crops row repeats a set another way)
                    if (p.sets().get(i).role() == ReportSet.Role.VAL && !p.sets().get(i).crops()) {
                        val.add(faces.get(i));
                        names.add(p.sets().get(i).name() + " " + p.sets().get(i).split());
                    }
                }
                if (val.isEmpty()) {
                    throw new IllegalArgumentException("report.calibrate needs at least one set with role=val");
                }
                double t = fitTemperature(uncalibrated, FaceCache.concat(val));
                calibration = new BundleManifest.Calibration(Math.round(t * 1000) / 1000.0, String.format(Locale.ROOT,
                        "central %.0f%% interval coverage %.2f on %s (pooled, align=mtcnn, image + mirror)",
                        TARGET_COVERAGE * 100, TARGET_COVERAGE, String.join(" + ", names)));
                log.info("temperature {} fitted on {}", calibration.temperature(), names);
            }
            AgeModel calibrated = loaded.withCalibration(calibration);
            for (int i = 0; i < p.sets().size(); i++) {
                ReportSet set = p.sets().get(i);
                FaceCache c = faces.get(i);
                Evaluation.Result before = Evaluation.run(uncalibrated, c, true, p.sigma(), false);
                Evaluation.Result flip = Evaluation.run(calibrated, c, true, p.sigma(), false);
                Evaluation.Result plain = Evaluation.run(calibrated, c, false, p.sigma(), false);
                scores.add(new BundleReport.SetScore(set, labelled.get(i).samples().size(), c.noFace(), c.unreadable(),
                        flip, plain, before.overall().coverage()));
                log.info(String.format(Locale.ROOT, "%s: n %d, MAE %.3f, ε %.4f, coverage80 %.3f (before %.3f)", set.name(),
                        flip.overall().count(), flip.overall().mae(), flip.overall().epsilonError(), flip.overall().coverage(),
                        before.overall().coverage()));
            }
            BundleManifest updated = m.withCalibration(calibration).withTestMetrics(BundleReport.metrics(scores));
            ModelBundles.writeManifest(dir, updated);
            BundleReport.write(dir, updated, scores, p.sigma());
            log.info("report written to {}", dir.resolve(Reports.REPORT));
        }
    }

    /** The T whose pooled coverage of the central interval is the target (coverage grows with T). */
    private double fitTemperature(AgeModel model, FaceCache val) {
        double lo = Math.log(0.35);
        double hi = Math.log(3);
        for (int i = 0; i < FIT_STEPS; i++) {
            double mid = (lo + hi) / 2;
            double cov = Evaluation.run(model.withCalibration(new BundleManifest.Calibration(Math.exp(mid), "fitting")), val,
                    true, p.sigma(), false).overall().coverage();
            log.info(String.format(Locale.ROOT, "  T %.3f: coverage %.3f", Math.exp(mid), cov));
            if (cov < TARGET_COVERAGE) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp((lo + hi) / 2);
    }
}
