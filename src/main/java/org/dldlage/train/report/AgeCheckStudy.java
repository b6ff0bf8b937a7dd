package org.dldlage.train.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.dldlage.core.AgeCheck;
import org.dldlage.core.AgeDistribution;
import org.dldlage.core.LabelSpace;
import org.dldlage.face.align.Align;
import org.dldlage.model.AgeModel;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.LabelledFaces;

/**
 * The measurements behind docs/age-checks.md: every photo of an evaluation set scored once (as the
 * service would: the same alignment, mirror averaging and distribution), then any age check's
 * decisions counted per true-age band.
 */
final class AgeCheckStudy {

    /** A true-age band [from, to) of the report. */
    record Band(String name, double from, double to) {
        boolean contains(double age) {
            return age >= from && age < to;
        }
    }

    static final List<Band> BANDS = List.of(new Band("under 13", 0, 13), new Band("13-17", 13, 18), new Band("18-20", 18, 21),
            new Band("21-24", 21, 25), new Band("25-29", 25, 30), new Band("30+", 30, Double.POSITIVE_INFINITY));

    /**
     * One photo.
     *
     * @param estimate ŷ (NaN when no face was found)
     * @param p the predicted distribution; null without a face (or for a method without one)
     * @param face whether the photo gave a face: one without is referred, as the service answers faces: []
     */
    record Scored(double age, double estimate, AgeDistribution p, boolean face) {

        AgeCheck.Decision decide(AgeCheck check) {
            if (!face) {
                return AgeCheck.Decision.REFER;
            }
            return check.decide(estimate, p == null ? Double.NaN : p.probabilityAtLeast(check.minimumAge()));
        }
    }

    /**
     * @param name the set's folder name
     * @param split the split scored
     * @param align how its faces were found
     * @param noFace photos without a usable face (no face found, or unreadable)
     */
    record EvalSet(String name, String split, Align align, List<Scored> scored, int noFace, int skippedRows) {
        String label() {
            return name + " " + split;
        }
    }

    /** Decisions of the photos of one band. */
    record Tally(int n, int pass, int refer, int fail) {
        Tally plus(Tally o) {
            return new Tally(n + o.n, pass + o.pass, refer + o.refer, fail + o.fail);
        }

        double passRate() {
            return n == 0 ? Double.NaN : (double) pass / n;
        }

        double share(int count) {
            return n == 0 ? Double.NaN : (double) count / n;
        }
    }

    private static final int BATCH = 128;

    private AgeCheckStudy() {}

    /** Decisions per band, in {@link #BANDS} order. */
    static List<Tally> tally(EvalSet set, AgeCheck check) {
        int[][] c = new int[BANDS.size()][3];
        for (Scored s : set.scored()) {
            for (int b = 0; b < BANDS.size(); b++) {
                if (BANDS.get(b).contains(s.age())) {
                    c[b][s.decide(check).ordinal()]++;
                }
            }
        }
        List<Tally> out = new ArrayList<>();
        for (int[] b : c) {
            out.add(new Tally(b[0] + b[1] + b[2], b[AgeCheck.Decision.PASS.ordinal()], b[AgeCheck.Decision.REFER.ordinal()],
                    b[AgeCheck.Decision.FAIL.ordinal()]));
        }
        return out;
    }

    /** The band [from, ...) the T's false passes are counted in: 13–17 for T = 18, 18–20 for T = 21, else the band under T. */
    static int underBand(int minimumAge) {
        for (int b = BANDS.size() - 1; b >= 0; b--) {
            if (BANDS.get(b).to() <= minimumAge) {
                return b;
            }
        }
        return 0;
    }

    /**
     * Scores one set, {@code NAME:SPLIT[:ALIGN]}: {@code data/NAME/labels.csv}, its {@code SPLIT}, images in
     * {@code data/NAME/images}, faces found with {@code ALIGN} (else {@code align}).
     */
    static EvalSet score(AgeModel model, Path data, String spec, Align align, boolean flip) throws IOException {
        String[] parts = spec.split(":", 3);
        if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("agecheck.sets entries are NAME:SPLIT or NAME:SPLIT:ALIGN, got '" + spec + "'");
        }
        if (parts.length == 3) {
            align = Align.parse(parts[2]);
        }
        Path dir = data.resolve(parts[0]);
        Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
        LabelledFaces faces = LabelledFaces.read(dir.resolve("labels.csv"), images, parts[1], Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY);
        FaceCache cache = Evaluation.asServed(faces.samples(), model, align);
        Map<LabelledFaces.Sample, Scored> scored = new IdentityHashMap<>();
        LabelSpace space = model.manifest().labelSpace();
        for (int start = 0; start < cache.size(); start += BATCH) {
            int end = Math.min(cache.size(), start + BATCH);
            List<byte[]> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                batch.add(cache.pixels(i));
            }
            AgeModel.Predictions p = model.predict(batch, flip);
            for (int i = start; i < end; i++) {
                AgeDistribution d = null;
                double estimate = p.ages()[i - start];
                if (p.distributions() != null) {
                    float[] f = p.distributions()[i - start];
                    double[] v = new double[f.length];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = f[k];
                    }
                    d = new AgeDistribution(space, v);
                    estimate = d.expectation(); // as the service answers it
                }
                scored.put(cache.sample(i), new Scored(cache.sample(i).age(), estimate, d, true));
            }
        }
        List<Scored> all = new ArrayList<>(faces.samples().size());
        for (LabelledFaces.Sample s : faces.samples()) {
            all.add(scored.getOrDefault(s, new Scored(s.age(), Double.NaN, null, false)));
        }
        return new EvalSet(parts[0], parts[1], align, Collections.unmodifiableList(all), all.size() - cache.size(), faces.skippedCount());
    }
}
