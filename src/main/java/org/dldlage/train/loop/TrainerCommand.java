package org.dldlage.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.train.cli.TrainOptions;
import org.dldlage.train.data.TrainingData;
import org.dldlage.train.report.Evaluation;
import org.dldlage.train.report.Reports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code trainer} profile: trains, then scores the kept epoch on the test split. */
public final class TrainerCommand {

    private static final Logger log = LoggerFactory.getLogger(TrainerCommand.class);

    private final TrainOptions options;

    public TrainerCommand(TrainOptions options) {
        this.options = options;
    }

    public void run() throws IOException {
        TrainingRun.Result result = new TrainingRun(options, log::info).run();
        BundleManifest m = result.manifest();
        if (m == null) {
            return; // --train.prepare-only
        }
        Path out = options.output();
        log.info("bundle {} written: {} kept from epoch {}", out, m.architecture(), m.training().bestEpoch());
        if (options.multiSet()) {
            // every set's val and test through the service's path, with calibration: the report profile
            log.info("scores per set and the calibration: --spring.profiles.active=report --report.model={} (see README)", out);
            return;
        }
        TrainingData data = result.data();
        if (data.test() == null) {
            log.info("no test split in {}: report.md not written", options.data());
            return;
        }
        try (AgeModel model = AgeModel.load(out, ai.djl.Device.cpu())) {
            Evaluation.Result flip = Evaluation.run(model, data.test(), true, options.sigma(), false);
            Evaluation.Result plain = Evaluation.run(model, data.test(), false, options.sigma(), false);
            Reports.writeTestReport(out, flip, plain, options.sigma());
            log.info(String.format("test (n=%d): MAE %.3f (without mirror %.3f), ε-error %.4f, CS@5 %.3f, coverage80 %.3f",
                    flip.overall().count(), flip.overall().mae(), plain.overall().mae(), flip.overall().epsilonError(),
                    flip.overall().cumulativeScore(5), flip.overall().coverage()));
        }
    }
}
