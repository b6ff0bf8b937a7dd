package org.dldlage.train.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dldlage.core.AgeDistribution;
import org.dldlage.core.AgeMetrics;
import org.dldlage.core.LabelSpace;
import org.dldlage.face.align.Align;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.model.AgeModel;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.LabelledFaces;

/**
 * Scores a model on cached faces: overall metrics, per age decade, gender and race, and the
 * coverage of the central 80% interval of p̂.
 */
public final class Evaluation {

    /** One scored image. */
    public record Prediction(LabelledFaces.Sample sample, double predicted, double lower80, double upper80) {}

    /**
     * @param overall all images
     * @param byDecade keyed by the decade's first year (0, 10, 20, ...)
     * @param byGender keyed by the CSV's gender code (empty when the data has none)
     * @param byRace keyed by the CSV's race code (empty when the data has none)
     */
    public record Result(AgeMetrics overall, Map<Integer, AgeMetrics> byDecade, Map<String, AgeMetrics> byGender,
            Map<String, AgeMetrics> byRace, List<Prediction> predictions) {}

    private static final int BATCH = 128;

    private Evaluation() {}

    /**
     * The faces of {@code samples} as the service takes them for {@code model}: photos through MTCNN and the aligner
     * with the bundle's template; with {@code align=none} face crops, each crop's own face found again for a model
     * trained on aligned faces, else resized.
     */
    static FaceCache asServed(List<LabelledFaces.Sample> samples, AgeModel model, Align align) throws IOException {
        if (align == Align.NONE && !model.manifest().trainedOnAlignedFaces()) {
            return new FaceCache(samples, model.inputSize());
        }
        try (Mtcnn mtcnn = Mtcnn.load()) {
            return new FaceCache(samples, model.inputSize(),
                    FaceCache.preparer(mtcnn, align, model.manifest().alignmentTemplate(), model.inputSize()));
        }
    }

    /**
     * @param defaultSigma σ for images without one (for the ε-error); NaN leaves them out of ε
     * @param keepPredictions whether to return every prediction (for CSV output)
     */
    public static Result run(AgeModel model, FaceCache faces, boolean flip, double defaultSigma, boolean keepPredictions) {
        AgeMetrics overall = new AgeMetrics();
        Map<Integer, AgeMetrics> byDecade = new TreeMap<>();
        Map<String, AgeMetrics> byGender = new TreeMap<>();
        Map<String, AgeMetrics> byRace = new TreeMap<>();
        List<Prediction> predictions = new ArrayList<>();
        LabelSpace space = model.manifest().labelSpace();
        for (int start = 0; start < faces.size(); start += BATCH) {
            int end = Math.min(faces.size(), start + BATCH);
            List<byte[]> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                batch.add(faces.pixels(i));
            }
            AgeModel.Predictions p = model.predict(batch, flip);
            for (int i = start; i < end; i++) {
                LabelledFaces.Sample s = faces.sample(i);
                double predicted = p.ages()[i - start];
                double sigma = Double.isNaN(s.sigma()) ? defaultSigma : s.sigma();
                double lo = Double.NaN;
                double hi = Double.NaN;
                if (p.distributions() != null) {
                    float[] f = p.distributions()[i - start];
                    double[] d = new double[f.length];
                    for (int k = 0; k < d.length; k++) {
                        d[k] = f[k];
                    }
                    double[] interval = new AgeDistribution(space, d).centralInterval(0.8);
                    lo = interval[0];
                    hi = interval[1];
                }
                List<AgeMetrics> targets = new ArrayList<>(List.of(overall,
                        byDecade.computeIfAbsent((int) (s.age() / 10) * 10, k -> new AgeMetrics())));
                if (s.gender() != null && !s.gender().isEmpty()) {
                    targets.add(byGender.computeIfAbsent(s.gender(), k -> new AgeMetrics()));
                }
                if (s.race() != null && !s.race().isEmpty()) {
                    targets.add(byRace.computeIfAbsent(s.race(), k -> new AgeMetrics()));
                }
                for (AgeMetrics m : targets) {
                    m.add(predicted, s.age(), sigma);
                    if (!Double.isNaN(lo)) {
                        m.addCoverage(s.age() >= lo && s.age() <= hi);
                    }
                }
                if (keepPredictions) {
                    predictions.add(new Prediction(s, predicted, lo, hi));
                }
            }
        }
        return new Result(overall, byDecade, byGender, byRace, predictions);
    }
}
