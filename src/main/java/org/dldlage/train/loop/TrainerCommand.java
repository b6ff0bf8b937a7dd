package org.dldlage.train.loop;

import org.dldlage.train.report.Evaluation;
import org.dldlage.train.report.Reports;
import org.dldlage.train.cli.TrainProperties;
import org.dldlage.train.data.TrainingData;
import java.nio.file.Path;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** {@code --spring.profiles.active=trainer}: trains, then scores the kept epoch on the test split. */
@Component
@EnableConfigurationProperties(TrainProperties.class)
@Profile("trainer")
class TrainerCommand implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(TrainerCommand.class);

    private final TrainProperties properties;

    TrainerCommand(TrainProperties properties) {
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        TrainingRun.Result result = new TrainingRun(properties, log::info).run();
        BundleManifest m = result.manifest();
        if (m == null) {
            return; // --train.prepare-only
        }
        Path out = properties.output();
        log.info("bundle {} written: {} kept from epoch {}", out, m.architecture(), m.training().bestEpoch());
        if (properties.multiSet()) {
            // every set's val and test through the service's path, with calibration: the report profile
            log.info("scores per set and the calibration: --spring.profiles.active=report --report.model={} (see README)", out);
            return;
        }
        TrainingData data = result.data();
        if (data.test() == null) {
            log.info("no test split in {}: report.md not written", properties.data());
            return;
        }
        try (AgeModel model = AgeModel.load(out, ai.djl.Device.cpu())) {
            Evaluation.Result flip = Evaluation.run(model, data.test(), true, properties.sigma(), false);
            Evaluation.Result plain = Evaluation.run(model, data.test(), false, properties.sigma(), false);
            Reports.writeTestReport(out, flip, plain, properties.sigma());
            log.info(String.format("test (n=%d): MAE %.3f (without mirror %.3f), ε-error %.4f, CS@5 %.3f, coverage80 %.3f",
                    flip.overall().count(), flip.overall().mae(), plain.overall().mae(), flip.overall().epsilonError(),
                    flip.overall().cumulativeScore(5), flip.overall().coverage()));
        }
    }
}
