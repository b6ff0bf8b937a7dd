package org.dldlage.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dldlage.app.engine.EngineSetup;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.model.AgeModel;
import org.dldlage.train.cli.TrainDataSet;
import org.dldlage.train.data.DetectionCache;
import org.dldlage.train.data.TrainingSets;
import org.dldlage.train.report.Evaluation;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.net.AgeNet;

/**
 * Weight averaging of one run's late checkpoints (Izmailov et al., "Averaging Weights Leads to Wider Optima",
 * 2018): the element-wise mean of every parameter, batch-norm running statistics included, of epochs taken at
 * the same low learning rate, written as a bundle with the run's manifest. One network, so it costs the service
 * nothing; whether it pays is for {@code report} on the val sets to say. Usage:
 *
 * <pre>
 * ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.AverageCheckpoints \
 *     -Dexec.args="RUN_DIR OUT_DIR epoch-0020.params epoch-0021.params ..."
 * </pre>
 *
 * RUN_DIR holds the run's {@code model.json} (architecture, size, template); the parameter files are the
 * trainer's checkpoints ({@code checkpoint/epoch-NNNN.params}), given as paths.
 */
public final class AverageCheckpoints {

    private AverageCheckpoints() {}

    public static void main(String[] args) throws Exception {
        EngineSetup.configure(new String[0]);
        if (args.length < 3) {
            System.err.println("usage: AverageCheckpoints RUN_DIR OUT_DIR PARAMS...");
            System.exit(2);
        }
        Path run = Path.of(args[0]);
        Path out = Path.of(args[1]);
        BundleManifest m = ModelBundles.readManifest(run);
        try (NDManager manager = NDManager.newBaseManager()) {
            AgeNet block = ModelBundles.network(m, ModelBundles.method(m));
            block.initialize(manager, DataType.FLOAT32, AgeNet.inputShape(m.inputSize()));
            List<float[]> sums = null;
            int n = 0;
            for (int i = 2; i < args.length; i++) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(Path.of(args[i]))))) {
                    block.loadParameters(manager, in);
                }
                List<Parameter> params = block.getParameters().values();
                if (sums == null) {
                    sums = new ArrayList<>();
                    for (Parameter p : params) {
                        sums.add(new float[Math.toIntExact(p.getArray().size())]);
                    }
                }
                for (int k = 0; k < params.size(); k++) {
                    float[] v = params.get(k).getArray().toFloatArray();
                    float[] s = sums.get(k);
                    for (int j = 0; j < v.length; j++) {
                        s[j] += v[j];
                    }
                }
                n++;
                System.out.println("added " + args[i]);
            }
            List<Parameter> params = block.getParameters().values();
            for (int k = 0; k < params.size(); k++) {
                float[] s = sums.get(k);
                for (int j = 0; j < s.length; j++) {
                    s[j] /= n;
                }
                NDArray a = params.get(k).getArray();
                a.set(s);
            }
            BundleManifest.Training t = m.training();
            BundleManifest.Training averaged = new BundleManifest.Training(t.data() + String.format(Locale.ROOT,
                    "; weights averaged over %d checkpoints", n), t.licence(), t.samples(), t.epochs(), t.bestEpoch(), t.settings());
            BundleManifest written = ModelBundles.write(out, block, new BundleManifest(m.formatVersion(), out.getFileName().toString(),
                    m.architecture(), m.width(), m.hybridPooling(), m.inputSize(), m.labels(), m.method(), m.lambda(),
                    m.normalization(), m.alignment(), averaged, java.util.Map.of(), m.createdAt(), null, null));
            System.out.println("wrote " + out + " (" + written.parameters().sha256() + ")");
        }
        String data = System.getProperty("val");
        if (data != null) {
            printValMae(out, Path.of(data));
        }
    }

    /**
     * Mean of the three sets' val MAE (mirror on, no calibration) as the trainer selects epochs: faces from the
     * cached detections, so it takes about a minute where {@code report} takes ten.
     */
    static void printValMae(Path bundle, Path data) throws Exception {
        try (AgeModel model = AgeModel.load(bundle, ai.djl.Device.cpu()); Mtcnn mtcnn = Mtcnn.load()) {
            System.out.printf(Locale.ROOT, "%s: %s%n", bundle.getFileName(), meanValMae(model, threeSets(model, data, mtcnn)));
        }
    }

    /** The three sets the default models train on, decoded at the model's input size from the cached detections. */
    static TrainingSets threeSets(AgeModel model, Path data, Mtcnn mtcnn) throws Exception {
        List<TrainDataSet> specs = List.of(new TrainDataSet("utkface", data.resolve("utkface"), 1.0, null),
                new TrainDataSet("appa-real", data.resolve("appa-real"), 1.0, null),
                new TrainDataSet("aaf", data.resolve("aaf"), 1.0, null));
        return TrainingSets.load(specs, model.manifest().labelSpace(), model.inputSize(), mtcnn, DetectionCache.root(null),
                line -> {});
    }

    /** "mean val MAE m (utkface a appa-real b aaf c)", mirror on, as the trainer selects epochs. */
    static String meanValMae(AgeModel model, TrainingSets sets) {
        double sum = 0;
        StringBuilder line = new StringBuilder();
        for (TrainingSets.Member m : sets.members()) {
            double mae = Evaluation.run(model, m.data().val(), true, 2.0, false).overall().mae();
            sum += mae;
            line.append(String.format(Locale.ROOT, " %s %.3f", m.name(), mae));
        }
        return String.format(Locale.ROOT, "mean val MAE %.3f (%s)", sum / sets.members().size(), line.toString().trim());
    }
}
