package org.dldlage.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.dldlage.core.LabelSpace;
import org.dldlage.face.align.Align;
import org.dldlage.face.align.FaceAligner;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.face.align.TemplateDerivation;
import org.dldlage.model.AgeModel;
import org.dldlage.model.net.AgeNet;
import org.dldlage.model.net.Architecture;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.method.TrainingMethod;

/**
 * Trains one model: the authors' recipe (Adam, lr ÷ 10 every {@code lrStepEpochs}, augmentation)
 * with a checkpoint after every epoch, keeping the epoch with the best validation MAE (with mirror
 * averaging) as the bundle. With the same seed, a resumed run reaches the same parameters as an
 * uninterrupted one: epoch order and augmentation are drawn from (seed, epoch, position).
 */
public final class TrainingRun {

    static final String CHECKPOINT_DIR = "checkpoint";
    public static final String UTKFACE_LICENCE = "UTKFace: non-commercial research use only; these weights inherit that restriction";

    private final TrainProperties p;
    private final Consumer<String> log;
    private final LabelSpace space;
    private final TrainingMethod method;
    /** The landmark template derived from the training crops, or null without MTCNN. */
    private double[][] template;

    public TrainingRun(TrainProperties properties, Consumer<String> log) {
        this.p = properties;
        this.log = log;
        this.space = new LabelSpace(0, 100, properties.labelStep());
        this.method = org.dldlage.model.method.Methods.create(properties.method(), space, properties.lambda());
    }

    /** What a run leaves: the bundle's manifest and the decoded data (its test split feeds the report). */
    public record Result(BundleManifest manifest, TrainingData data, TrainingSets sets) {}

    /** Runs (or resumes) training and writes the bundle, metrics and plot. */
    public Result run() throws IOException {
        checkOutput();
        if (p.multiSet()) {
            TrainingSets sets = loadSets();
            if (p.prepareOnly()) {
                log.accept("prepared: " + sets.describe());
                return new Result(null, sets.members().get(0).data(), sets);
            }
            return run(sets);
        }
        TrainingData data = loadData();
        return run(TrainingSets.single(dataName(), data, licence()));
    }

    /**
     * Trains on faces already decoded (the study shares one decode between its runs); the bundle
     * gets no alignment template.
     */
    public Result run(TrainingData data) throws IOException {
        return run(TrainingSets.single(dataName(), data, licence()));
    }

    private Result run(TrainingSets sets) throws IOException {
        checkOutput();
        if (sets.template() != null) {
            template = sets.template();
        }
        TrainingData data = sets.members().get(0).data();
        Path out = p.output();
        Path ckpt = out.resolve(CHECKPOINT_DIR);
        Files.createDirectories(ckpt);
        BundleManifest template = manifestTemplate(sets, 0, 0);

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed((int) p.seed());
            AgeNet block = ModelBundles.network(template, method);
            block.initialize(manager, DataType.FLOAT32, AgeNet.inputShape(p.inputSize()));
            List<NDArray> trainable = new ArrayList<>();
            for (Pair<String, Parameter> param : block.getParameters()) {
                if (param.getValue().requiresGradient()) {
                    NDArray a = param.getValue().getArray();
                    a.setRequiresGradient(true);
                    trainable.add(a);
                }
            }
            AdamState adam = new AdamState(trainable, manager);
            log.accept(String.format("%s (%s, %d trainable parameters), input %dx%d, method %s, K=%d, %d train / %d val images",
                    template.architecture(), p.arch(), ModelBundles.trainableCount(block), p.inputSize(), p.inputSize(),
                    method.id(), space.size(), sets.train().size(), sets.members().stream().mapToInt(m -> m.data().val().size()).sum()));
            if (p.multiSet()) {
                log.accept(sets.describe());
            }

            List<EpochRecord> history = new ArrayList<>();
            int start = 0;
            if (p.resume() && Files.exists(ckpt.resolve("state.json"))) {
                start = restore(ckpt, block, manager, adam, history);
                log.accept("resumed after epoch " + start + " from " + ckpt);
            }
            AgeModel evalView = AgeModel.of(template, block, manager);
            for (int epoch = start; epoch < p.epochs(); epoch++) {
                float lr = (float) (p.lr() * Math.pow(0.1, epoch / p.lrStepEpochs()));
                long t0 = System.nanoTime();
                int[] order = sets.epochOrder(p.seed(), epoch, p.multiSet() ? p.limit() : 0);
                double loss = trainEpoch(epoch, sets.train(), order, block, manager, adam, lr);
                double seconds = (System.nanoTime() - t0) / 1e9;
                // each set's val split on its own; the epoch is judged by their mean
                Map<String, Double> bySet = new LinkedHashMap<>();
                double[] sum = new double[6];
                for (TrainingSets.Member m : sets.members()) {
                    var flip = Evaluation.run(evalView, m.data().val(), true, p.sigma(), false).overall();
                    // several sets: the mirror-averaged numbers alone (they select the epoch), a third less evaluation
                    var plain = p.multiSet() ? null : Evaluation.run(evalView, m.data().val(), false, p.sigma(), false).overall();
                    double[] v = {plain == null ? Double.NaN : plain.mae(), flip.mae(),
                            plain == null ? Double.NaN : plain.epsilonError(), flip.epsilonError(),
                            plain == null ? Double.NaN : plain.cumulativeScore(5), flip.cumulativeScore(5)};
                    for (int k = 0; k < 6; k++) {
                        sum[k] += v[k] / sets.members().size();
                    }
                    bySet.put(m.name(), flip.mae());
                }
                EpochRecord r = new EpochRecord(epoch + 1, lr, loss, sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], seconds,
                        order.length / seconds, p.multiSet() ? bySet : null);
                history.add(r);
                log.accept(String.format("epoch %d/%d  lr %.0e  loss %.4f  val MAE %.3f (flip %.3f)  ε %.4f (flip %.4f)  CS@5 %.3f (flip %.3f)  %.0f s, %.0f img/s",
                        r.epoch(), p.epochs(), lr, loss, r.valMae(), r.valMaeFlip(), r.valEpsilonError(),
                        r.valEpsilonErrorFlip(), r.valCs5(), r.valCs5Flip(), seconds, r.imagesPerSecond())
                        + (p.multiSet() ? "  val MAE (flip) by set " + bySet.entrySet().stream()
                                .map(x -> String.format(java.util.Locale.ROOT, "%s %.3f", x.getKey(), x.getValue())).toList() : ""));
                EpochRecord best = best(history);
                if (best == r) {
                    ModelBundles.write(out, block, manifestTemplate(sets, r.epoch(), r.epoch()));
                    log.accept("  best so far: bundle written to " + out);
                }
                saveCheckpoint(ckpt, block, adam, history);
            }
        }
        Reports.writeHistory(out, history(ckpt));
        return new Result(ModelBundles.readManifest(out), data, sets);
    }

    private void checkOutput() {
        if (!p.resume() && Files.isDirectory(p.output().resolve(CHECKPOINT_DIR))) {
            throw new IllegalArgumentException("output " + p.output() + " already holds a checkpoint: pass --train.resume=true to continue it or choose another --train.output");
        }
    }

    /**
     * Decodes the splits once. MTCNN, when its weights are there, derives the landmark template from
     * the training crops (stored in the bundle so the service aligns faces the way training saw
     * them) and, with {@code --train.align=mtcnn|box}, prepares every face.
     */
    private TrainingData loadData() throws IOException {
        Align align = Align.parse(p.align());
        boolean weights = Files.isRegularFile(Mtcnn.defaultDir().resolve("pnet.tflite"));
        if (align != Align.NONE && !weights) {
            throw new IllegalArgumentException("--train.align=" + p.align() + " needs the MTCNN weights in "
                    + Mtcnn.defaultDir().toAbsolutePath() + " (./mvnw initialize fetches them)");
        }
        if (!weights || (align == Align.NONE && p.templateSamples() == 0)) {
            if (p.templateSamples() > 0) {
                log.accept("no MTCNN weights in " + Mtcnn.defaultDir() + ": the bundle gets no alignment template");
            }
            return TrainingData.load(p.data(), space, p.inputSize(), p.limit(), log);
        }
        try (Mtcnn mtcnn = Mtcnn.load()) {
            return TrainingData.load(p.data(), space, p.inputSize(), p.limit(), train -> {
                template = deriveTemplate(mtcnn, train);
                return FaceCache.preparer(mtcnn, align, template, p.inputSize());
            }, log);
        }
    }

    /** Every set through the service's detector and aligner, detections cached on disk. */
    private TrainingSets loadSets() throws IOException {
        if (!Files.isRegularFile(Mtcnn.defaultDir().resolve("pnet.tflite"))) {
            throw new IllegalArgumentException("--train.sets needs the MTCNN weights in "
                    + Mtcnn.defaultDir().toAbsolutePath() + " (./mvnw initialize fetches them)");
        }
        try (Mtcnn mtcnn = Mtcnn.load()) {
            return TrainingSets.load(p.sets(), space, p.inputSize(), mtcnn, DetectionCache.root(p.cacheDir()), log);
        }
    }

    private String dataName() {
        return p.data() == null || p.data().getFileName() == null ? String.valueOf(p.data()) : p.data().getFileName().toString();
    }

    private String licence() {
        return dataName().toLowerCase(java.util.Locale.ROOT).contains("utk") ? UTKFACE_LICENCE : "see the data set's terms";
    }

    private double[][] deriveTemplate(Mtcnn mtcnn, List<LabelledFaces.Sample> train) {
        if (p.templateSamples() == 0) {
            return FaceAligner.UTKFACE_TEMPLATE;
        }
        List<Path> files = new ArrayList<>();
        for (int i : permutation(train.size(), new Random(p.seed()))) {
            if (files.size() == p.templateSamples()) {
                break;
            }
            files.add(train.get(i).file());
        }
        try {
            TemplateDerivation.Result r = TemplateDerivation.derive(mtcnn, files);
            log.accept(String.format("alignment template from MTCNN on %d of %d training crops: %s", r.used(), r.images(),
                    java.util.Arrays.deepToString(r.template())));
            return r.template();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The epoch with the lowest validation MAE with mirror averaging (the paper's test protocol). */
    static EpochRecord best(List<EpochRecord> history) {
        EpochRecord best = null;
        for (EpochRecord r : history) {
            if (best == null || r.valMaeFlip() < best.valMaeFlip()) {
                best = r;
            }
        }
        return best;
    }

    private double trainEpoch(int epoch, FaceCache train, int[] order, Block block, NDManager manager, AdamState adam,
            float lr) {
        int n = order.length;
        int batches = (n + p.batchSize() - 1) / p.batchSize();
        double lossSum = 0;
        int s = p.inputSize();
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "augment");
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar bar = Progress.bar("epoch " + (epoch + 1) + "/" + p.epochs(), n)) {
            CompletableFuture<Batch> next = CompletableFuture.supplyAsync(() -> prepare(train, order, 0, epoch), prefetch);
            for (int b = 0; b < batches; b++) {
                Batch batch = next.join();
                if (b + 1 < batches) {
                    int from = (b + 1) * p.batchSize();
                    next = CompletableFuture.supplyAsync(() -> prepare(train, order, from, epoch), prefetch);
                }
                try (NDManager step = manager.newSubManager()) {
                    // RGB bytes as served: the network's input block normalises them
                    NDArray x = step.create(batch.pixels, new Shape(batch.size, s, s, 3), DataType.UINT8);
                    NDArray ages = step.create(batch.ages);
                    NDArray sigmas = step.create(batch.sigmas);
                    float value;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = block.forward(new ParameterStore(step, false), new NDList(x), true).head();
                        NDArray loss = method.loss(logits, ages, sigmas);
                        gc.backward(loss);
                        value = loss.getFloat();
                    }
                    adam.update(lr);
                    lossSum += value * batch.size;
                }
                bar.stepBy(batch.size);
                bar.setExtraMessage(String.format(" loss %.3f", lossSum / Math.min(n, (b + 1) * p.batchSize())));
            }
        } finally {
            prefetch.shutdownNow();
        }
        return lossSum / n;
    }

    private record Batch(int size, ByteBuffer pixels, float[] ages, float[] sigmas) {}

    private Batch prepare(FaceCache train, int[] order, int from, int epoch) {
        int to = Math.min(order.length, from + p.batchSize());
        int s = p.inputSize();
        ByteBuffer pixels = ByteBuffer.allocateDirect((to - from) * s * s * 3).order(ByteOrder.nativeOrder());
        float[] ages = new float[to - from];
        float[] sigmas = new float[to - from];
        for (int i = from; i < to; i++) {
            int idx = order[i];
            byte[] img = train.pixels(idx);
            if (p.augment()) {
                // per-image generator from (seed, epoch, position): independent of threads and of resumes
                long mix = p.seed() * 0x9E3779B97F4A7C15L ^ (epoch * 0xBF58476D1CE4E5B9L) ^ (i * 0x94D049BB133111EBL);
                img = Augmentation.apply(img, s, s, s, new SplittableRandom(mix), p.frameJitter());
            }
            pixels.put(img);
            var sample = train.sample(idx);
            ages[i - from] = (float) sample.age();
            sigmas[i - from] = (float) (Double.isNaN(sample.sigma()) ? p.sigma() : sample.sigma());
        }
        pixels.flip();
        return new Batch(to - from, pixels, ages, sigmas);
    }

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

    private BundleManifest manifestTemplate(TrainingSets sets, int epochs, int bestEpoch) {
        Architecture arch = Architecture.parse(p.arch());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("method", p.method());
        settings.put("lambda", p.lambda());
        settings.put("labelStep", p.labelStep());
        settings.put("sigma", p.sigma());
        settings.put("epochs", p.epochs());
        settings.put("batchSize", p.batchSize());
        settings.put("lr", p.lr());
        settings.put("lrStepEpochs", p.lrStepEpochs());
        settings.put("seed", p.seed());
        settings.put("augment", p.augment());
        settings.put("frameJitter", p.frameJitter());
        settings.put("hybridPooling", p.hybridPooling());
        settings.put("limit", p.limit());
        String data;
        String licence;
        String alignMode = p.align().equals("none") ? "crop" : p.align();
        if (p.multiSet()) {
            alignMode = "mtcnn";
            List<String> names = new ArrayList<>();
            List<String> licences = new ArrayList<>();
            for (TrainingSets.Member m : sets.members()) {
                names.add(String.format(java.util.Locale.ROOT, "%s (split 'train', %d faces, weight %s)", m.name(),
                        m.data().train().size(), m.spec().weight()));
                licences.add(m.name() + ": " + m.spec().licence());
            }
            data = String.join(" + ", names) + ", all aligned through MTCNN; selected on the mean of the sets' 'val' MAE";
            licence = String.join("; ", licences);
        } else {
            boolean utk = dataName().toLowerCase(java.util.Locale.ROOT).contains("utk");
            data = utk ? "UTKFace (aligned & cropped), split 'train'; selected on 'val'" : dataName();
            licence = licence();
        }
        return new BundleManifest(BundleManifest.FORMAT_VERSION, p.output().getFileName().toString(), arch.displayName(),
                arch.width(), p.hybridPooling(), p.inputSize(), BundleManifest.Labels.of(space), method.id(), p.lambda(),
                BundleManifest.Normalization.authors(),
                new BundleManifest.Alignment(alignMode, template == null ? null : List.of(template)),
                new BundleManifest.Training(data, licence, sets.train().size(), epochs, bestEpoch, settings),
                Map.of(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null, null);
    }

    /**
     * Writes epoch-numbered parameter and optimizer files, then moves {@code state.json} into place:
     * a kill at any moment leaves the previous complete checkpoint, never a mix of two epochs.
     */
    private void saveCheckpoint(Path ckpt, Block block, AdamState adam, List<EpochRecord> history) throws IOException {
        int epoch = history.size();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(paramsFile(ckpt, epoch))))) {
            block.saveParameters(out);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(optimizerFile(ckpt, epoch))))) {
            adam.save(out);
        }
        Path state = ckpt.resolve("state.json.tmp");
        ModelBundles.JSON.writeValue(state.toFile(), history);
        Files.move(state, ckpt.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(paramsFile(ckpt, epoch - 1));
        Files.deleteIfExists(optimizerFile(ckpt, epoch - 1));
    }

    /** The parameters after {@code epoch} epochs. */
    static Path paramsFile(Path ckpt, int epoch) {
        return ckpt.resolve(String.format("epoch-%04d.params", epoch));
    }

    private static Path optimizerFile(Path ckpt, int epoch) {
        return ckpt.resolve(String.format("epoch-%04d.adam", epoch));
    }

    private int restore(Path ckpt, Block block, NDManager manager, AdamState adam, List<EpochRecord> history) throws IOException {
        history.addAll(history(ckpt));
        int epoch = history.size();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(paramsFile(ckpt, epoch))))) {
            block.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint " + ckpt + " does not fit this network: " + e.getMessage(), e);
        }
        // loading replaces the parameter arrays: gradients must be re-attached to the new ones
        List<NDArray> trainable = new ArrayList<>();
        for (Pair<String, Parameter> param : block.getParameters()) {
            if (param.getValue().requiresGradient()) {
                param.getValue().getArray().setRequiresGradient(true);
                trainable.add(param.getValue().getArray());
            }
        }
        adam.rebind(trainable);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(optimizerFile(ckpt, epoch))))) {
            adam.load(in);
        }
        return epoch;
    }

    static List<EpochRecord> history(Path ckpt) throws IOException {
        Path state = ckpt.resolve("state.json");
        if (!Files.exists(state)) {
            return List.of();
        }
        return ModelBundles.JSON.readValue(state.toFile(), new TypeReference<List<EpochRecord>>() {});
    }
}
