package org.dldlage.train.loop;

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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.dldlage.core.LabelSpace;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.net.AgeNet;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.method.Methods;
import org.dldlage.model.method.TrainingMethod;
import org.dldlage.train.cli.TrainOptions;
import org.dldlage.train.data.Augmentation;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.TrainingData;
import org.dldlage.train.data.TrainingInputs;
import org.dldlage.train.data.TrainingSets;
import org.dldlage.train.report.EpochRecord;
import org.dldlage.train.report.Evaluation;
import org.dldlage.train.report.Reports;

/**
 * Trains one model: the authors' recipe (Adam, lr ÷ 10 every {@code lrStepEpochs}, augmentation)
 * with a checkpoint after every epoch ({@link Checkpoints}), keeping the epoch with the best validation
 * MAE (with mirror averaging) as the bundle. With the same seed, a resumed run reaches the same
 * parameters as an uninterrupted one: epoch order and augmentation are drawn from (seed, epoch, position).
 */
public final class TrainingRun {

    private final TrainOptions p;
    private final Consumer<String> log;
    private final LabelSpace space;
    private final TrainingMethod method;

    public TrainingRun(TrainOptions options, Consumer<String> log) {
        this.p = options;
        this.log = log;
        this.space = new LabelSpace(0, 100, options.labelStep());
        this.method = Methods.create(options.method().id(), space, options.lambda());
    }

    /** What a run leaves: the bundle's manifest and the decoded data (its test split feeds the report). */
    public record Result(BundleManifest manifest, TrainingData data, TrainingSets sets) {}

    /** Runs (or resumes) training and writes the bundle, metrics and plot. */
    public Result run() throws IOException {
        checkOutput();
        if (p.multiSet()) {
            TrainingSets sets = TrainingInputs.sets(p, space, log);
            if (p.prepareOnly()) {
                log.accept("prepared: " + sets.describe());
                return new Result(null, sets.members().get(0).data(), sets);
            }
            return run(sets);
        }
        return run(TrainingInputs.folder(p, space, log));
    }

    /**
     * Trains on faces already decoded (the study shares one decode between its runs); the bundle
     * gets no alignment template.
     */
    public Result run(TrainingData data) throws IOException {
        return run(TrainingSets.single(TrainingInputs.name(p.data()), data, p.licence(), null));
    }

    private Result run(TrainingSets sets) throws IOException {
        checkOutput();
        TrainingData data = sets.members().get(0).data();
        Path out = p.output();
        Path ckpt = out.resolve(Checkpoints.DIR);
        Files.createDirectories(ckpt);
        BundleManifest template = RunManifest.of(p, space, method, sets, 0, 0);

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed((int) (long) p.seed());
            AgeNet block = ModelBundles.network(template, method);
            block.initialize(manager, DataType.FLOAT32, AgeNet.inputShape(p.inputSize()));
            if (p.initFrom() != null && !(p.resume() && Checkpoints.exists(ckpt))) {
                startFrom(p.initFrom(), template, block, manager);
            }
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
                    template.architecture(), p.arch().name().toLowerCase(Locale.ROOT), ModelBundles.trainableCount(block),
                    p.inputSize(), p.inputSize(), method.id(), space.size(), sets.train().size(),
                    sets.members().stream().mapToInt(m -> m.data().val().size()).sum()));
            if (p.multiSet()) {
                log.accept(sets.describe());
            }

            List<EpochRecord> history = new ArrayList<>();
            int start = 0;
            if (p.resume() && Checkpoints.exists(ckpt)) {
                start = Checkpoints.restore(ckpt, block, manager, adam, history);
                log.accept("resumed after epoch " + start + " from " + ckpt);
            }
            AgeModel evalView = AgeModel.of(template, block, manager);
            for (int epoch = start; epoch < p.epochs(); epoch++) {
                float lr = (float) (p.lr() * Math.pow(0.1, epoch / p.lrStepEpochs()));
                long t0 = System.nanoTime();
                int[] order = sets.epochOrder(p.seed(), epoch, p.multiSet() ? p.limit() : 0, p.ageBalance());
                double loss = trainEpoch(epoch, sets.train(), order, block, manager, adam, lr);
                if (p.bnRecalibrationFaces() > 0) {
                    // drawn from (seed, epoch) alone, so a resumed run measures the same statistics
                    BatchNormRecalibration.run(block, sets.train(), p.bnRecalibrationFaces(),
                            new SplittableRandom(p.seed() * 0x9E3779B97F4A7C15L + epoch), manager);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochRecord r = validate(sets, evalView, epoch, lr, loss, seconds, order.length);
                history.add(r);
                if (EpochRecord.best(history) == r) {
                    ModelBundles.write(out, block, RunManifest.of(p, space, method, sets, r.epoch(), r.epoch()));
                    log.accept("  best so far: bundle written to " + out);
                }
                Checkpoints.save(ckpt, block, adam, history);
            }
        }
        Reports.writeHistory(out, Checkpoints.history(ckpt));
        return new Result(ModelBundles.readManifest(out), data, sets);
    }

    /** Each set's val split on its own; the epoch is judged by their mean. */
    private EpochRecord validate(TrainingSets sets, AgeModel evalView, int epoch, float lr, double loss, double seconds,
            int images) {
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
                images / seconds, p.multiSet() ? bySet : null);
        log.accept(String.format("epoch %d/%d  lr %.0e  loss %.4f  val MAE %.3f (flip %.3f)  ε %.4f (flip %.4f)  CS@5 %.3f (flip %.3f)  %.0f s, %.0f img/s",
                r.epoch(), p.epochs(), lr, loss, r.valMae(), r.valMaeFlip(), r.valEpsilonError(),
                r.valEpsilonErrorFlip(), r.valCs5(), r.valCs5Flip(), seconds, r.imagesPerSecond())
                + (p.multiSet() ? "  val MAE (flip) by set " + bySet.entrySet().stream()
                        .map(x -> String.format(Locale.ROOT, "%s %.3f", x.getKey(), x.getValue())).toList() : ""));
        return r;
    }

    /**
     * Copies a bundle's weights (BN running statistics included) into the freshly built network, before
     * gradients are attached: same network and bins required, the input size may differ.
     */
    private void startFrom(Path bundle, BundleManifest template, AgeNet block, NDManager manager) {
        BundleManifest m = ModelBundles.readManifest(bundle);
        if (!m.architecture().equals(template.architecture()) || m.hybridPooling() != template.hybridPooling()
                || !m.labels().equals(template.labels()) || ModelBundles.method(m).outputs() != method.outputs()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "train.init-from=%s is a %s (hybrid pooling %s, %d outputs); this run trains a %s (hybrid pooling %s, %d outputs)",
                    bundle, m.architecture(), m.hybridPooling(), ModelBundles.method(m).outputs(), template.architecture(),
                    template.hybridPooling(), method.outputs()));
        }
        try (NDManager loading = manager.newSubManager()) {
            var from = ModelBundles.loadNetwork(bundle, m, loading).getParameters(); // checksum and shapes checked
            var to = block.getParameters();
            for (int i = 0; i < to.size(); i++) {
                to.get(i).getValue().getArray().set(from.get(i).getValue().getArray().toByteBuffer());
            }
        }
        log.accept(String.format(Locale.ROOT, "started from the weights of %s (%s, %d px, its epoch %d)", m.name(),
                m.architecture(), m.inputSize(), m.training().bestEpoch()));
    }

    private void checkOutput() {
        if (!p.resume() && Files.isDirectory(p.output().resolve(Checkpoints.DIR))) {
            throw new IllegalArgumentException("output " + p.output() + " already holds a checkpoint: pass --train.resume=true to continue it or choose another --train.output");
        }
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

}
