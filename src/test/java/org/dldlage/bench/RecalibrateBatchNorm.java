package org.dldlage.bench;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.dldlage.app.engine.EngineSetup;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.train.data.TrainingSets;
import org.dldlage.train.loop.BatchNormRecalibration;

/**
 * The trainer's {@link BatchNormRecalibration} on a bundle already trained: FACES (default 10240) clean training
 * faces through the network in training mode, each set's val MAE (mirror on, from cached detections) printed
 * before and after, and the bundle written with the new statistics. Usage:
 *
 * <pre>
 * MAVEN_OPTS=-Xmx4g ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.dldlage.bench.RecalibrateBatchNorm -Dexec.args="BUNDLE OUT_DIR DATA [FACES]"
 * </pre>
 */
public final class RecalibrateBatchNorm {

    private RecalibrateBatchNorm() {}

    public static void main(String[] args) throws Exception {
        EngineSetup.configure(new String[0]);
        if (args.length < 3) {
            System.err.println("usage: RecalibrateBatchNorm BUNDLE OUT_DIR DATA [FACES]");
            System.exit(2);
        }
        Path bundle = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path data = Path.of(args[2]);
        int faces = args.length > 3 ? Integer.parseInt(args[3]) : 10240;
        try (AgeModel model = AgeModel.load(bundle, ai.djl.Device.cpu()); Mtcnn mtcnn = Mtcnn.load();
                NDManager manager = NDManager.newBaseManager()) {
            TrainingSets sets = AverageCheckpoints.threeSets(model, data, mtcnn);
            System.out.println("before: " + AverageCheckpoints.meanValMae(model, sets));
            long t0 = System.nanoTime();
            BatchNormRecalibration.run(model.network(), sets.train(), faces, new SplittableRandom(1), manager);
            System.out.printf(Locale.ROOT, "after %d clean training faces (%.1f s): %s%n", faces, (System.nanoTime() - t0) / 1e9,
                    AverageCheckpoints.meanValMae(model, sets));
            BundleManifest m = model.manifest();
            BundleManifest.Training t = m.training();
            ModelBundles.write(out, model.network(), new BundleManifest(m.formatVersion(), out.getFileName().toString(),
                    m.architecture(), m.width(), m.hybridPooling(), m.inputSize(), m.labels(), m.method(), m.lambda(),
                    m.normalization(), m.alignment(), new BundleManifest.Training(t.data()
                            + "; batch-norm statistics measured again on clean training faces", t.licence(), t.samples(),
                            t.epochs(), t.bestEpoch(), t.settings()), java.util.Map.of(), m.createdAt(), null, null));
            System.out.println("wrote " + out);
        }
    }
}
