package org.dldlage.train.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.dldlage.core.LabelSpace;
import org.dldlage.face.align.Align;
import org.dldlage.face.align.FaceAligner;
import org.dldlage.face.align.TemplateDerivation;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.train.cli.TrainOptions;

/**
 * The faces a run trains on, as its options say: one data folder, or several sets through the
 * service's detector and aligner ({@code --train.sets}), each split decoded once.
 */
public final class TrainingInputs {

    private TrainingInputs() {}

    /**
     * Decodes one folder's splits. MTCNN, when its weights are there, derives the landmark template from
     * the training crops (stored in the bundle so the service aligns faces the way training saw them)
     * and, with {@code --train.align=mtcnn|box}, prepares every face.
     */
    public static TrainingSets folder(TrainOptions p, LabelSpace space, Consumer<String> log) throws IOException {
        Align align = p.align();
        boolean weights = Files.isRegularFile(Mtcnn.defaultDir().resolve("pnet.tflite"));
        if (align != Align.NONE && !weights) {
            throw new IllegalArgumentException("--train.align=" + align.id() + " needs the MTCNN weights in "
                    + Mtcnn.defaultDir().toAbsolutePath() + " (./mvnw initialize fetches them)");
        }
        if (!weights || (align == Align.NONE && p.templateSamples() == 0)) {
            if (p.templateSamples() > 0) {
                log.accept("no MTCNN weights in " + Mtcnn.defaultDir() + ": the bundle gets no alignment template");
            }
            return TrainingSets.single(name(p.data()), TrainingData.load(p.data(), space, p.inputSize(), p.limit(), log),
                    p.licence(), null);
        }
        double[][][] template = new double[1][][];
        try (Mtcnn mtcnn = Mtcnn.load()) {
            TrainingData data = TrainingData.load(p.data(), space, p.inputSize(), p.limit(), train -> {
                template[0] = deriveTemplate(mtcnn, train, p, log);
                // --train.align=none trains on the crops as shipped: no detector, so no crop is re-framed
                return FaceCache.preparer(align == Align.NONE ? null : mtcnn, align, template[0], p.inputSize());
            }, log);
            return TrainingSets.single(name(p.data()), data, p.licence(), template[0]);
        }
    }

    /** Every set through the service's detector and aligner, detections cached on disk. */
    public static TrainingSets sets(TrainOptions p, LabelSpace space, Consumer<String> log) throws IOException {
        if (!Files.isRegularFile(Mtcnn.defaultDir().resolve("pnet.tflite"))) {
            throw new IllegalArgumentException("--train.sets needs the MTCNN weights in "
                    + Mtcnn.defaultDir().toAbsolutePath() + " (./mvnw initialize fetches them)");
        }
        try (Mtcnn mtcnn = Mtcnn.load()) {
            return TrainingSets.load(p.sets(), space, p.inputSize(), mtcnn, DetectionCache.root(p.cacheDir()), log);
        }
    }

    /** A data folder's name, as logs and the bundle call it. */
    public static String name(Path data) {
        return data == null || data.getFileName() == null ? String.valueOf(data) : data.getFileName().toString();
    }

    private static double[][] deriveTemplate(Mtcnn mtcnn, List<LabelledFaces.Sample> train, TrainOptions p,
            Consumer<String> log) {
        if (p.templateSamples() == 0) {
            return FaceAligner.UTKFACE_TEMPLATE;
        }
        List<Path> files = new ArrayList<>();
        for (int i : TrainingSets.permutation(train.size(), new Random(p.seed()))) {
            if (files.size() == p.templateSamples()) {
                break;
            }
            files.add(train.get(i).file());
        }
        try {
            TemplateDerivation.Result r = TemplateDerivation.derive(mtcnn, files);
            log.accept(String.format("alignment template from MTCNN on %d of %d training crops: %s", r.used(), r.images(),
                    Arrays.deepToString(r.template())));
            return r.template();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
