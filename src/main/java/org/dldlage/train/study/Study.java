package org.dldlage.train.study;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dldlage.core.AgeMetrics;
import org.dldlage.core.LabelSpace;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.train.cli.TrainOptions;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.TrainingData;
import org.dldlage.train.loop.Checkpoints;
import org.dldlage.train.loop.TrainingRun;
import org.dldlage.train.report.EpochRecord;
import org.dldlage.train.report.Evaluation;

/**
 * Runs a {@link StudyPlan}: every distinct configuration once, seed 1 of every row before seed 2
 * (so an interrupted study has each question answered once), each scored on the test split, and
 * the report rewritten after each run. A finished run leaves {@code result.json} and is skipped
 * next time; an unfinished one resumes from its last epoch checkpoint.
 */
public final class Study {

    static final String RESULT = "result.json";
    private static final Path PLACEHOLDER = Path.of("-");
    /** Set by the study for every run; a plan may not override them. */
    private static final Set<String> RESERVED = Set.of("data", "output", "resume", "template-samples", "align");

    /** One distinct configuration. */
    public record Run(String key, Map<String, String> settings, TrainOptions options) {
        Path dir() {
            return options.output();
        }
    }

    /** What a finished run measured on the test split (mirror-averaged unless named plain). */
    public record Result(String key, Map<String, String> settings, long n, double mae, double maePlain, double epsilonError,
            double cs5, double coverage80, double bias, int bestEpoch, double valMae, double trainSeconds, String finished) {}

    private final StudyPlan plan;
    private final Function<Map<String, String>, TrainOptions> options;
    private final Consumer<String> log;
    /** Distinct configurations, keyed by their options with a placeholder output (so "seed: 1" and a default seed are one run). */
    private final Map<TrainOptions, Run> runs = new LinkedHashMap<>();
    private final Map<String, TrainingData> data = new HashMap<>();

    /**
     * @param options binds trainer options given by name ({@code --train.NAME} without the prefix), checked as
     *     on the command line; unknown names and bad values fail with IllegalArgumentException
     */
    public Study(StudyPlan plan, Function<Map<String, String>, TrainOptions> options, Consumer<String> log) {
        this.plan = plan;
        this.options = options;
        this.log = log;
        // resolve (and validate) every row before any training, so a typo fails in seconds, not hours
        for (StudyPlan.Question q : plan.questions()) {
            for (StudyPlan.Row r : rowsOf(q)) {
                Map<String, String> settings = settings(r);
                runs.computeIfAbsent(bind(r, settings, PLACEHOLDER), k -> {
                    String key = key(settings);
                    return new Run(key, settings, bind(r, settings, plan.runs().resolve(key)));
                });
            }
        }
    }

    /** The run a row maps to. */
    public Run run(StudyPlan.Row row) {
        return runs.get(bind(row, settings(row), PLACEHOLDER));
    }

    /** Distinct runs in the order they are trained. */
    public List<Run> schedule() {
        List<Run> order = new ArrayList<>(runs.values());
        order.sort(Comparator.comparingLong(r -> r.options().seed())); // stable: plan order within a seed
        return order;
    }

    /** Trains what is missing, then writes the report; returns the results by run key. */
    public Map<String, Result> execute() throws IOException {
        List<Run> order = schedule();
        log.accept(String.format("study: %d rows in %d questions, %d distinct runs, %d already finished",
                plan.questions().stream().mapToInt(q -> rowsOf(q).size()).sum(), plan.questions().size(), order.size(),
                order.stream().filter(r -> Files.isRegularFile(r.dir().resolve(RESULT))).count()));
        Map<String, Result> results = results();
        StudyReport.write(plan, this, results, log);
        int i = 0;
        for (Run run : order) {
            i++;
            if (results.containsKey(run.key())) {
                continue;
            }
            log.accept(String.format("study: run %d/%d %s", i, order.size(), run.key()));
            results.put(run.key(), train(run));
            StudyReport.write(plan, this, results, log);
        }
        return results;
    }

    /** The finished runs' results, read from their folders. */
    public Map<String, Result> results() throws IOException {
        Map<String, Result> out = new LinkedHashMap<>();
        for (Run run : runs.values()) {
            Path f = run.dir().resolve(RESULT);
            if (Files.isRegularFile(f)) {
                out.put(run.key(), ModelBundles.JSON.readValue(f.toFile(), Result.class));
            }
        }
        return out;
    }

    private Result train(Run run) throws IOException {
        TrainOptions p = run.options();
        TrainingData faces = data(p);
        if (faces.test() == null) {
            throw new IllegalArgumentException("data folder " + p.data() + " has no test split: the study reports test metrics");
        }
        long t0 = System.nanoTime();
        TrainingRun.Result trained = new TrainingRun(p, log).run(faces);
        double seconds = (System.nanoTime() - t0) / 1e9;
        var history = Checkpoints.history(p.output().resolve(Checkpoints.DIR));
        EpochRecord best = EpochRecord.best(history);
        double trainSeconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        try (AgeModel model = AgeModel.load(p.output(), Device.cpu())) {
            AgeMetrics flip = Evaluation.run(model, faces.test(), true, p.sigma(), false).overall();
            AgeMetrics plain = Evaluation.run(model, faces.test(), false, p.sigma(), false).overall();
            Result r = new Result(run.key(), run.settings(), flip.count(), flip.mae(), plain.mae(), flip.epsilonError(),
                    flip.cumulativeScore(5), flip.coverage(), flip.meanError(), best.epoch(), best.valMaeFlip(), trainSeconds,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            Path tmp = p.output().resolve(RESULT + ".tmp");
            ModelBundles.JSON.writeValue(tmp.toFile(), r);
            Files.move(tmp, p.output().resolve(RESULT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.accept(String.format("study: %s: test MAE %.3f (plain %.3f), ε %.4f, CS@5 %.3f, coverage80 %.3f; %.0f s (%s)",
                    run.key(), r.mae(), r.maePlain(), r.epsilonError(), r.cs5(), r.coverage80(), seconds,
                    trained.manifest().architecture()));
            return r;
        }
    }

    /** The test faces at a run's input size. */
    FaceCache testFaces(Run run) {
        return data(run.options()).test();
    }

    /** The splits decoded once per input size and training limit, shared by every run that needs them. */
    private TrainingData data(TrainOptions p) {
        return data.computeIfAbsent(p.inputSize() + "/" + p.limit(),
                k -> TrainingData.load(p.data(), new LabelSpace(0, 100, 1), p.inputSize(), p.limit(), log));
    }

    static List<StudyPlan.Row> rowsOf(StudyPlan.Question q) {
        return q.kind() == StudyPlan.Kind.TABLE ? q.rows() : List.of(q.ranking(), q.distribution());
    }

    private Map<String, String> settings(StudyPlan.Row row) {
        Map<String, String> settings = new TreeMap<>(plan.base());
        settings.putAll(row.settings());
        for (String k : settings.keySet()) {
            if (RESERVED.contains(k)) {
                throw new IllegalArgumentException("study plan: row '" + row.label() + "' sets '" + k + "', which the study sets itself");
            }
        }
        return settings;
    }

    private TrainOptions bind(StudyPlan.Row row, Map<String, String> settings, Path output) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("data", plan.data().toString());
        all.put("output", output.toString());
        all.put("resume", "true");
        all.put("template-samples", "0");
        try {
            return options.apply(all);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("study plan: row '" + row.label() + "' " + settings + ": " + e.getMessage(), e);
        }
    }

    /** A readable name for a configuration plus a hash of all its settings (and the data). */
    private String key(Map<String, String> settings) {
        String slug = String.join("-", settings.getOrDefault("method", "dldl-v2"),
                "l" + settings.getOrDefault("lambda", "1"), "d" + settings.getOrDefault("label-step", "1"),
                "false".equals(settings.get("hybrid-pooling")) ? "gap" : "hp",
                "false".equals(settings.get("augment")) ? "noaug" : "aug", "s" + settings.getOrDefault("seed", "1"));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((plan.data() + "|" + settings).getBytes(StandardCharsets.UTF_8));
            return slug + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
