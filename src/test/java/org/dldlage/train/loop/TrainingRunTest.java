package org.dldlage.train.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.DataType;
import java.io.DataInputStream;
import org.dldlage.model.net.AgeNet;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dldlage.face.align.Align;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.net.Architecture;
import org.dldlage.support.SmallSplits;
import org.dldlage.train.cli.TrainOptions;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.LabelledFaces;
import org.dldlage.train.report.EpochRecord;
import org.dldlage.train.report.Evaluation;
import org.dldlage.train.report.Reports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny real training runs on 64 UTKFace images at 64×64. */
class TrainingRunTest {

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void smallData() throws IOException {
        data = SmallSplits.write(tmp.resolve("data"), 64, 32, 32);
    }

    static TrainOptions props(Path out, int epochs, boolean resume) {
        return props(out, epochs, resume, Align.NONE, 0, null, 0);
    }

    static TrainOptions props(Path out, int epochs, boolean resume, Align align, int templateSamples, String licence,
            int bnRecalibrationFaces) {
        return new TrainOptions(data, licence, Architecture.TINY, 64, TrainOptions.Method.DLDL_V2, 1.0, 1.0, 2.0, epochs, 16,
                1e-3, 15, 7L, true, true, out, resume, 0, align, templateSamples, null, null, 0, false, null,
                bnRecalibrationFaces, 0);
    }

    @Test
    void tinyRunOnMtcnnAlignedFacesLowersTheLossAndWritesALoadableBundleWithItsTemplate() throws IOException {
        Path out = tmp.resolve("tiny");
        TrainOptions p = props(out, 2, false, Align.MTCNN, 16, "UTKFace terms", 0);
        BundleManifest m = new TrainingRun(p, s -> {}).run().manifest();
        assertThat(m.alignment().mode()).isEqualTo("mtcnn");
        assertThat(m.training().licence()).isEqualTo("UTKFace terms");
        List<double[]> t = m.alignment().template();
        assertThat(t).hasSize(5);
        assertThat(t.get(0)[0]).as("left eye left of right eye").isLessThan(t.get(1)[0]);
        assertThat(t.get(0)[1]).as("eyes above the mouth").isLessThan(t.get(3)[1]);
        assertThat(t.get(2)[1]).as("nose between eyes and mouth").isBetween(t.get(0)[1], t.get(3)[1]);
        List<EpochRecord> h = Checkpoints.history(out.resolve(Checkpoints.DIR));
        assertThat(h).hasSize(2);
        assertThat(h.get(1).trainLoss()).isLessThan(h.get(0).trainLoss());
        assertThat(m.architecture()).isEqualTo("TinyAgeNet");
        assertThat(m.training().samples()).isEqualTo(64);
        assertThat(Files.exists(out.resolve(Reports.METRICS))).isTrue();
        assertThat(Files.size(out.resolve(Reports.CURVE))).isGreaterThan(1000);
        try (AgeModel model = AgeModel.load(out, Device.cpu())) {
            FaceCache test = new FaceCache(LabelledFaces.read(data.resolve("labels.csv"), data, "test", 0, 100).samples(), 64);
            Evaluation.Result r = Evaluation.run(model, test, true, 2, false);
            assertThat(r.overall().count()).isEqualTo(32);
            assertThat(r.overall().mae()).isBetween(0.0, 100.0);
            Reports.writeTestReport(out, r, Evaluation.run(model, test, false, 2, false), 2);
        }
        assertThat(Files.readString(out.resolve(Reports.REPORT))).contains("MAE").contains("By age decade");
        assertThat(ModelBundles.readManifest(out).testMetrics()).containsKeys("mae", "epsilonError", "cs5", "coverage80");
    }

    @Test
    void resumingAfterAnInterruptionReachesTheSameParameters() throws IOException {
        // with the batch-norm statistics measured again after each epoch, which a resume must repeat exactly
        Path straight = tmp.resolve("straight");
        new TrainingRun(props(straight, 2, false, Align.NONE, 0, null, 40), s -> {}).run();
        Path interrupted = tmp.resolve("interrupted");
        new TrainingRun(props(interrupted, 1, false, Align.NONE, 0, null, 40), s -> {}).run(); // "killed" after epoch 1
        new TrainingRun(props(interrupted, 2, true, Align.NONE, 0, null, 40), s -> {}).run();
        byte[] a = Files.readAllBytes(Checkpoints.paramsFile(straight.resolve(Checkpoints.DIR), 2));
        byte[] b = Files.readAllBytes(Checkpoints.paramsFile(interrupted.resolve(Checkpoints.DIR), 2));
        assertThat(b).isEqualTo(a);
        assertThat(Checkpoints.history(interrupted.resolve(Checkpoints.DIR))).hasSize(2);
        // no --train.licence: the bundle says so instead of guessing from the folder's name
        assertThat(ModelBundles.readManifest(straight).training().licence()).isEqualTo("not stated (--train.licence)");
    }

    @Test
    void measuringBatchNormAgainOnCleanFacesMovesOnlyTheRunningStatistics() throws IOException {
        Path plain = tmp.resolve("bn-plain");
        new TrainingRun(props(plain, 2, false), s -> {}).run();
        Path measured = tmp.resolve("bn-measured");
        BundleManifest m = new TrainingRun(props(measured, 2, false, Align.NONE, 0, null, 64), s -> {}).run().manifest();
        assertThat(m.training().settings()).containsEntry("bnRecalibrationFaces", 64);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            // epoch 2 began from the measured statistics in one run, from the augmented batches' in the other
            List<Pair<String, Parameter>> a = checkpoint(plain, 2, manager);
            List<Pair<String, Parameter>> b = checkpoint(measured, 2, manager);
            double trained = 0;
            double running = 0;
            for (int i = 0; i < a.size(); i++) {
                double d = maxDifference(a.get(i).getValue().getArray().toFloatArray(), b.get(i).getValue().getArray().toFloatArray());
                if (a.get(i).getValue().requiresGradient()) {
                    trained = Math.max(trained, d);
                } else {
                    running = Math.max(running, d);
                }
            }
            // training normalises by each batch's own statistics, so the weights cannot tell the two runs apart
            assertThat(trained).as("trained weights").isEqualTo(0);
            assertThat(running).as("running means and variances").isGreaterThan(1e-3);
        }
    }

    static TrainOptions fineTune(Path out, Architecture arch, int size, double lr, Path initFrom) {
        return new TrainOptions(data, null, arch, size, TrainOptions.Method.DLDL_V2, 1.0, 1.0, 2.0, 1, 16,
                lr, 15, 7L, true, true, out, false, 0, Align.NONE, 0, null, null, 0, false, initFrom, 0, 0);
    }

    @Test
    void aRunCanStartFromABundleTrainedAtAnotherInputSize() throws IOException {
        Path source = tmp.resolve("source-64");
        new TrainingRun(props(source, 1, false), s -> {}).run();
        // a learning rate too small to move a weight: what the 96 px bundle holds is what it started from
        Path tuned = tmp.resolve("tuned-96");
        BundleManifest m = new TrainingRun(fineTune(tuned, Architecture.TINY, 96, 1e-12, source), s -> {}).run().manifest();
        Path scratch = tmp.resolve("scratch-96");
        new TrainingRun(fineTune(scratch, Architecture.TINY, 96, 1e-12, null), s -> {}).run();
        assertThat(m.inputSize()).isEqualTo(96);
        assertThat(m.training().settings()).containsEntry("initFrom", "source-64");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            var from = trainable(source, manager);
            var tunedWeights = trainable(tuned, manager);
            var scratchWeights = trainable(scratch, manager);
            assertThat(tunedWeights).hasSameSizeAs(from);
            for (int i = 0; i < from.size(); i++) {
                assertThat(maxDifference(tunedWeights.get(i), from.get(i))).as("parameter %d", i).isLessThan(1e-6);
            }
            assertThat(maxDifference(scratchWeights.get(0), from.get(0))).as("a random start differs").isGreaterThan(1e-3);
        }
    }

    @Test
    void startingFromAnotherNetworkIsRefusedInOneLine() throws IOException {
        Path source = tmp.resolve("tiny-source");
        new TrainingRun(props(source, 1, false), s -> {}).run();
        assertThatThrownBy(() -> new TrainingRun(fineTune(tmp.resolve("thin-from-tiny"), Architecture.THIN, 64, 1e-3, source),
                s -> {}).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("train.init-from").hasMessageContaining("TinyAgeNet").hasMessageContaining("ThinAgeNet");
    }

    private static List<Pair<String, Parameter>> checkpoint(Path run, int epoch, NDManager manager) throws IOException {
        BundleManifest m = ModelBundles.readManifest(run);
        AgeNet net = ModelBundles.network(m, ModelBundles.method(m));
        net.initialize(manager, DataType.FLOAT32, AgeNet.inputShape(m.inputSize()));
        try (DataInputStream in = new DataInputStream(Files.newInputStream(Checkpoints.paramsFile(run.resolve(Checkpoints.DIR), epoch)))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(e);
        }
        return net.getParameters().stream().toList();
    }

    private static List<Pair<String, Parameter>> parameters(Path bundle, NDManager manager) {
        return ModelBundles.loadNetwork(bundle, ModelBundles.readManifest(bundle), manager).getParameters().stream().toList();
    }

    private static List<float[]> trainable(Path bundle, NDManager manager) {
        List<float[]> out = new java.util.ArrayList<>();
        for (Pair<String, Parameter> p : parameters(bundle, manager)) {
            if (p.getValue().requiresGradient()) {
                out.add(p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    private static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void refusesToOverwriteACheckpointWithoutResume() throws IOException {
        Path out = tmp.resolve("twice");
        new TrainingRun(props(out, 1, false), s -> {}).run();
        assertThatThrownBy(() -> new TrainingRun(props(out, 1, false), s -> {}).run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--train.resume");
    }
}
