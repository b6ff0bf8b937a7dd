package org.dldlage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.dldlage.inference.AgeCheckRequest;
import org.dldlage.inference.Estimation;

/** The 200 answer of {@code POST /v1/age}. */
@Schema(description = "One entry per face (largest first); an image without a face gives faces: []")
@JsonInclude(JsonInclude.Include.NON_NULL)
record AgeResponse(List<FaceResult> faces, ModelSummary model, Timings timings,
        @Schema(description = "The age check asked for with minimumAge, and the rule that decided; absent without minimumAge")
        AgeCheckSummary ageCheck) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FaceResult(
            @Schema(description = "The face's box in pixels of the orientation-corrected image (the whole image when an"
                    + " align=none crop was taken as sent)")
            Box box,
            @Schema(description = "Detector confidence in [0, 1]; absent when an align=none crop was taken as sent")
            Double detectionScore,
            @Schema(description = "Five landmarks; absent when an align=none crop was taken as sent") Landmarks landmarks,
            @Schema(description = "How the face was cut out for the model: mtcnn (landmarks warped onto the model's template),"
                    + " box, or none (the crop as sent, resized). With align=none a model trained on aligned faces looks"
                    + " for the crop's own face first and, where it finds one filling the crop, warps it (mtcnn)",
                    allowableValues = {"mtcnn", "box", "none"}, example = "mtcnn")
            String alignment,
            @Schema(description = "Estimated age in years: the expectation of the predicted label distribution p̂", example = "31.4")
            double age,
            @Schema(description = "Standard deviation of p̂ in years: the model's own uncertainty", example = "4.2")
            Double ageStd,
            @Schema(description = "Central 80% interval of p̂") Interval ageInterval,
            @Schema(description = "Σ p̂_k over labels l_k < 18", example = "0.01") Double probabilityUnder18,
            @Schema(description = "With minimumAge=T: Σ p̂_k over labels l_k ≥ T", example = "0.97") Double probabilityAtLeast,
            @Schema(description = "With minimumAge=T: pass (confidently at least T), fail (confidently under T) or refer"
                    + " (uncertain: check a document), by the rule in ageCheck", allowableValues = {"pass", "refer", "fail"})
            String decision,
            @Schema(description = "p̂ over the labels start, start+step, ...; absent with distribution=false") Distribution distribution,
            @Schema(description = "The age score map (POST /v1/age/explain only)") Explanation explanation) {}

    @Schema(description = "The paper's age score map S = Σ_k p̂_k A^k (Sec. 4.6) over the aligned face: larger values mark the"
            + " regions that pushed the estimate")
    record Explanation(
            @Schema(description = "S as rows × columns: the map global average pooling reduces (S/32 at hybrid pooling)") float[][] map,
            @Schema(description = "The aligned face the model saw with S upsampled over it as a heat map and a legend, PNG, base64")
            String overlayPng) {}

    @Schema(description = "The age check and its rule")
    record AgeCheckSummary(@Schema(description = "T, in years") double minimumAge,
            @Schema(description = "Years above T the estimate had to reach (rule estimate)") double buffer,
            @Schema(description = "estimate or probability (configured: age.check.rule)") String rule,
            @Schema(description = "P(age ≥ T) needed to pass under the probability rule") double passProbability,
            @Schema(description = "P(age ≥ T) at or under which a face fails") double failProbability,
            @Schema(description = "The rule in words") String description) {

        static AgeCheckSummary of(AgeCheckRequest c) {
            AgeCheckRequest.Summary s = c == null ? null : c.summary();
            return s == null ? null : new AgeCheckSummary(s.minimumAge(), s.buffer(), s.rule(), s.passProbability(),
                    s.failProbability(), s.description());
        }
    }

    record Box(double x, double y, double width, double height) {}

    record Point(double x, double y) {}

    record Landmarks(Point leftEye, Point rightEye, Point nose, Point mouthLeft, Point mouthRight) {}

    record Interval(double lower, double upper, double level) {}

    record Distribution(double start, double step, float[] probabilities) {}

    record ModelSummary(@Schema(description = "The model that estimated the faces (its bundle folder's name)") String name,
            @Schema(description = "Which loaded version of it: counted from 1 by the running service, +1 per hot reload")
            int version, String architecture, int inputSize, double labelStep) {}

    record Timings(double decodeMs, double detectMs, double alignMs, double queueMs, double inferenceMs, double totalMs,
            int batchSize) {}

    /** @param check the age check asked for, or null */
    static AgeResponse of(Estimation e, boolean withDistribution, AgeCheckRequest check) {
        return new AgeResponse(faces(e, withDistribution, check), model(e), timings(e), AgeCheckSummary.of(check));
    }

    static List<FaceResult> faces(Estimation e, boolean withDistribution, AgeCheckRequest check) {
        return e.faces().stream().map(f -> face(f, e, withDistribution, check)).toList();
    }

    static ModelSummary model(Estimation e) {
        Estimation.ModelUsed m = e.model();
        return new ModelSummary(m.name(), m.version(), m.architecture(), m.inputSize(), m.labelStep());
    }

    static Timings timings(Estimation e) {
        Estimation.Timings t = e.timings();
        return new Timings(t.decodeMs(), t.detectMs(), t.alignMs(), t.queueMs(), t.inferenceMs(), t.totalMs(), t.batchSize());
    }

    private static FaceResult face(Estimation.FaceAge f, Estimation e, boolean withDistribution, AgeCheckRequest check) {
        Estimation.Detection d = f.detection();
        Box box = d == null ? new Box(0, 0, e.imageWidth(), e.imageHeight())
                : new Box(round(d.x()), round(d.y()), round(d.width()), round(d.height()));
        Landmarks landmarks = null;
        if (d != null && d.landmarks() != null && d.landmarks().length == 5) {
            double[][] l = d.landmarks();
            landmarks = new Landmarks(point(l[0]), point(l[1]), point(l[2]), point(l[3]), point(l[4]));
        }
        AgeCheckRequest.Decision decision = check == null ? null : check.decide(f);
        Double atLeast = decision == null || decision.probabilityAtLeast() == null ? null : round(decision.probabilityAtLeast());
        String decided = decision == null ? null : decision.decision();
        if (!f.hasDistribution()) {
            return new FaceResult(box, d == null ? null : d.score(), landmarks, f.alignment(), round(f.age()), null, null, null, null,
                    decided, null, explanation(f));
        }
        double[] interval = f.ageInterval();
        Distribution distribution = withDistribution ? new Distribution(f.labelStart(), f.labelStep(), f.probabilities()) : null;
        return new FaceResult(box, d == null ? null : d.score(), landmarks, f.alignment(), round(f.age()), round(f.ageStd()),
                new Interval(round(interval[0]), round(interval[1]), Estimation.INTERVAL_LEVEL), f.probabilityUnder18(),
                atLeast, decided, distribution, explanation(f));
    }

    private static Explanation explanation(Estimation.FaceAge f) {
        Estimation.Explanation x = f.explanation();
        if (x == null) {
            return null;
        }
        float[][] rows = new float[x.height()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = java.util.Arrays.copyOfRange(x.map(), r * x.width(), (r + 1) * x.width());
        }
        return new Explanation(rows, java.util.Base64.getEncoder().encodeToString(x.overlayPng(f.age())));
    }

    private static Point point(double[] xy) {
        return new Point(round(xy[0]), round(xy[1]));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
