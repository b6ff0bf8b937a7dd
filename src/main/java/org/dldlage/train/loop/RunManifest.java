package org.dldlage.train.loop;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dldlage.core.LabelSpace;
import org.dldlage.face.align.Align;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.method.TrainingMethod;
import org.dldlage.model.net.Architecture;
import org.dldlage.train.cli.TrainOptions;
import org.dldlage.train.data.TrainingSets;

/**
 * The model.json a run writes: the network and method its options chose, the settings that reproduce
 * it, and what it was trained on under which terms, as the options state them (never guessed).
 */
final class RunManifest {

    /** The licence a bundle states when {@code --train.licence} was not given. */
    static final String NOT_STATED = "not stated (--train.licence)";

    private RunManifest() {}

    /** The manifest after {@code epochs} epochs, the kept one being {@code bestEpoch} (0, 0: before training). */
    static BundleManifest of(TrainOptions p, LabelSpace space, TrainingMethod method, TrainingSets sets, int epochs,
            int bestEpoch) {
        Architecture arch = p.arch();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("method", p.method().id());
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
        settings.put("bnRecalibrationFaces", p.bnRecalibrationFaces());
        settings.put("ageBalance", p.ageBalance());
        if (p.initFrom() != null) {
            settings.put("initFrom", p.initFrom().getFileName().toString());
        }
        String data;
        String licence;
        String alignMode = p.align() == Align.NONE ? "crop" : p.align().id();
        if (p.multiSet()) {
            alignMode = "mtcnn";
            List<String> names = new ArrayList<>();
            List<String> licences = new ArrayList<>();
            for (int i = 0; i < sets.members().size(); i++) {
                TrainingSets.Member m = sets.members().get(i);
                names.add(String.format(Locale.ROOT, "%s (split 'train', %d faces, weight %s)", m.name(),
                        m.data().train().size(), m.spec().weight()));
                licences.add(m.name() + ": " + (m.spec().licence() != null ? m.spec().licence()
                        : "not stated (--train.sets[" + i + "].licence)"));
            }
            data = String.join(" + ", names) + ", all aligned through MTCNN; selected on the mean of the sets' 'val' MAE";
            licence = String.join("; ", licences);
        } else {
            data = sets.members().get(0).name() + ", split 'train'; selected on 'val'";
            licence = p.licence() != null ? p.licence() : NOT_STATED;
        }
        double[][] template = sets.template();
        return new BundleManifest(BundleManifest.FORMAT_VERSION, p.output().getFileName().toString(), arch.displayName(),
                arch.width(), p.hybridPooling(), p.inputSize(), BundleManifest.Labels.of(space), method.id(), p.lambda(),
                BundleManifest.Normalization.authors(),
                new BundleManifest.Alignment(alignMode, template == null ? null : List.of(template)),
                new BundleManifest.Training(data, licence, sets.train().size(), epochs, bestEpoch, settings),
                Map.of(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null, null);
    }
}
