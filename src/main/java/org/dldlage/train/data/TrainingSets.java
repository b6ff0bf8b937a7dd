package org.dldlage.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.dldlage.core.LabelSpace;
import org.dldlage.face.align.Align;
import org.dldlage.face.align.FaceAligner;
import org.dldlage.face.align.Framing;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.train.cli.TrainDataSet;

/**
 * Several labelled sets trained as one: each set's splits are prepared the way the service prepares
 * a photo ({@code align=mtcnn}: MTCNN's largest face warped onto the template), with detections
 * cached on disk ({@link DetectionCache}) and one template derived from all training faces.
 * Training draws each set's images {@code weight} times per epoch; each set keeps its own val split.
 */
public final class TrainingSets {

    /**
     * One set, prepared.
     *
     * @param noFace images per split (train, val, test) in which no face was found: dropped
     */
    public record Member(TrainDataSet spec, TrainingData data, int[] noFace) {
        public String name() {
            return spec.name();
        }
    }

    private final List<Member> members;
    private final FaceCache train;
    /** For each image of {@link #train()}, the index of its member. */
    private final int[] memberOf;
    private final double[][] template;

    private TrainingSets(List<Member> members, double[][] template) {
        this.members = members;
        this.template = template;
        List<FaceCache> trains = new ArrayList<>();
        for (Member m : members) {
            trains.add(m.data().train());
        }
        this.train = FaceCache.concat(trains);
        this.memberOf = new int[train.size()];
        int at = 0;
        for (int i = 0; i < members.size(); i++) {
            int n = members.get(i).data().train().size();
            java.util.Arrays.fill(memberOf, at, at + n, i);
            at += n;
        }
    }

    /** Sets already prepared. */
    static TrainingSets of(List<Member> members, double[][] template) {
        return new TrainingSets(members, template);
    }

    /**
     * One folder, weight 1.
     *
     * @param licence its terms (null: none given)
     * @param template the landmark template its faces were prepared with (null: none)
     */
    public static TrainingSets single(String name, TrainingData data, String licence, double[][] template) {
        return new TrainingSets(List.of(new Member(new TrainDataSet(name, null, 1.0, licence), data, new int[3])), template);
    }

    /**
     * Detects (or reads from the cache) every image of every set, derives the template from the
     * training faces and prepares each split at {@code size}.
     */
    public static TrainingSets load(List<TrainDataSet> specs, LabelSpace space, int size, Mtcnn mtcnn, Path cacheRoot,
            Consumer<String> log) throws IOException {
        List<List<LabelledFaces>> splits = new ArrayList<>();
        List<DetectionCache> caches = new ArrayList<>();
        for (TrainDataSet spec : specs) {
            List<LabelledFaces> s = TrainingData.splits(spec.data(), space);
            splits.add(s);
            List<Path> files = new ArrayList<>();
            for (LabelledFaces f : s) {
                if (f != null) {
                    f.samples().forEach(x -> files.add(x.file()));
                }
            }
            Path imageDir = files.isEmpty() ? spec.data() : files.get(0).getParent();
            caches.add(DetectionCache.mtcnn(cacheRoot, imageDir, files, mtcnn, log));
        }
        double[][] template = deriveTemplate(splits, caches);
        log.accept("alignment template from all training faces: " + java.util.Arrays.deepToString(template));
        Framing framing = new Framing(Align.MTCNN, size, template, FaceAligner.DEFAULT_BOX_MARGIN);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            DetectionCache cache = caches.get(i);
            log.accept(specs.get(i).name() + ":");
            TrainingData data = TrainingData.load(specs.get(i).data(), space, size, 0, train -> cache.preparer(framing), log);
            int[] noFace = {data.train().noFace(), data.val().noFace(), data.test() == null ? 0 : data.test().noFace()};
            members.add(new Member(specs.get(i), data, noFace));
        }
        return new TrainingSets(members, template);
    }

    /**
     * The mean landmark positions of all training faces, each in [0, 1] coordinates of its image's
     * centre square (what {@code align=none} feeds the network from that crop), so the aligned faces
     * are framed like the average training crop.
     */
    static double[][] deriveTemplate(List<List<LabelledFaces>> splits, List<DetectionCache> caches) {
        double[][] sum = new double[5][2];
        int n = 0;
        for (int i = 0; i < splits.size(); i++) {
            for (LabelledFaces.Sample s : splits.get(i).get(0).samples()) {
                var e = caches.get(i).get(s.file()).orElse(null);
                if (e == null || e.face() == null) {
                    continue;
                }
                double side = Math.min(e.width(), e.height());
                double ox = (e.width() - side) / 2;
                double oy = (e.height() - side) / 2;
                for (int k = 0; k < 5; k++) {
                    sum[k][0] += (e.face().landmarks()[k][0] + 0.5 - ox) / side;
                    sum[k][1] += (e.face().landmarks()[k][1] + 0.5 - oy) / side;
                }
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no face found in any training image");
        }
        double[][] t = new double[5][2];
        for (int k = 0; k < 5; k++) {
            t[k][0] = Math.round(sum[k][0] / n * 1e4) / 1e4;
            t[k][1] = Math.round(sum[k][1] / n * 1e4) / 1e4;
        }
        return t;
    }

    public List<Member> members() {
        return members;
    }

    /** Every set's training images, one after the other. */
    public FaceCache train() {
        return train;
    }

    /** The derived template, or null when none was derived. */
    public double[][] template() {
        return template;
    }

    /**
     * One epoch's image order: each image of member i appears ⌊w_i⌋ times, plus once more with
     * probability w_i − ⌊w_i⌋, shuffled; drawn from (seed, epoch) so a resumed run repeats it. With
     * {@code limit} &gt; 0 only a fixed random subset of that many training images is drawn from. Each
     * image's draws are also scaled by {@link #ageBalance(int[], double)} (α = {@code ageBalance}, 0: off).
     */
    public int[] epochOrder(long seed, int epoch, int limit, double ageBalance) {
        Random rng = new Random(seed * 1_000_003L + epoch);
        boolean plain = members.stream().allMatch(m -> m.spec().weight() == 1);
        if (plain && limit == 0 && ageBalance == 0) {
            return permutation(train.size(), rng);
        }
        int[] pool = permutation(train.size(), new Random(seed));
        if (limit > 0 && limit < pool.length) {
            pool = java.util.Arrays.copyOf(pool, limit); // a fixed random subset of every set, for short comparisons
            java.util.Arrays.sort(pool);
        }
        double[] balance = ageBalance(pool, ageBalance);
        List<Integer> picks = new ArrayList<>();
        for (int k = 0; k < pool.length; k++) {
            int i = pool[k];
            double w = members.get(memberOf[i]).spec().weight() * balance[k];
            int times = (int) Math.floor(w) + (rng.nextDouble() < w - Math.floor(w) ? 1 : 0);
            for (int t = 0; t < times; t++) {
                picks.add(i);
            }
        }
        int[] order = picks.stream().mapToInt(Integer::intValue).toArray();
        int[] perm = permutation(order.length, rng);
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[perm[i]];
        }
        return out;
    }

    /** The most a rare decade's images are drawn per epoch relative to the average image. */
    static final double MAX_AGE_BALANCE = 5;

    /**
     * For each training image in {@code pool}, a draw factor ∝ n_d^−α, where n_d is the number of
     * images in the pool whose age lies in its decade d (0–9, 10–19, …), clipped at
     * {@link #MAX_AGE_BALANCE} and scaled to mean 1 so an epoch keeps its length: α = 0 leaves the
     * sets' age mix as it is, α = 1 draws every decade equally often. The expectation ŷ regresses
     * towards the common ages; drawing the rare ones more often pulls the old decades' bias back, at a cost in
     * MAE (measured in the README: not the teenagers').
     */
    double[] ageBalance(int[] pool, double alpha) {
        double[] f = new double[pool.length];
        java.util.Arrays.fill(f, 1);
        if (alpha == 0 || pool.length == 0) {
            return f;
        }
        int[] decade = new int[pool.length];
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (int k = 0; k < pool.length; k++) {
            decade[k] = (int) Math.floor(train.sample(pool[k]).age() / 10);
            counts.merge(decade[k], 1, Integer::sum);
        }
        for (int k = 0; k < pool.length; k++) {
            f[k] = Math.pow(counts.get(decade[k]), -alpha);
        }
        for (int round = 0; round < 20; round++) { // scale to mean 1, clip; repeated, the clipped share converges
            double mean = java.util.Arrays.stream(f).average().orElse(1);
            for (int k = 0; k < pool.length; k++) {
                f[k] = Math.min(f[k] / mean, MAX_AGE_BALANCE);
            }
        }
        return f;
    }

    /** A uniformly random order of 0..n−1 (Fisher–Yates), the same for the same generator state. */
    static int[] permutation(int n, Random rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** A line per set: images used and dropped, for logs and reports. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Member m : members) {
            b.append(String.format(Locale.ROOT, "%s: train %d, val %d%s (weight %s)%s; ", m.name(), m.data().train().size(),
                    m.data().val().size(), m.data().test() == null ? "" : ", test " + m.data().test().size(),
                    m.spec().weight(), m.noFace()[0] + m.noFace()[1] + m.noFace()[2] == 0 ? ""
                            : String.format(", no face found (dropped): train %d, val %d, test %d", m.noFace()[0], m.noFace()[1], m.noFace()[2])));
        }
        return b.toString().replaceAll("; $", "");
    }
}
