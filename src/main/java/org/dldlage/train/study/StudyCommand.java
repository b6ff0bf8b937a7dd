package org.dldlage.train.study;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.dldlage.train.cli.StudyOptions;
import org.dldlage.train.cli.TrainOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code study} profile ({@code --study.plan=FILE}): trains and tests every configuration of an
 * ablation plan (see {@code docs/ablation-plan.yml}) and writes its report. Stopping it at any point
 * loses at most the current epoch: the same command resumes.
 */
public final class StudyCommand {

    private static final Logger log = LoggerFactory.getLogger(StudyCommand.class);

    private final StudyOptions options;
    private final Function<Map<String, String>, TrainOptions> trainOptions;

    /** @param trainOptions binds a plan row's trainer options, checked as on the command line (see {@link Study}) */
    public StudyCommand(StudyOptions options, Function<Map<String, String>, TrainOptions> trainOptions) {
        this.options = options;
        this.trainOptions = trainOptions;
    }

    public void run() throws IOException {
        StudyPlan plan = StudyPlan.read(options.plan());
        Study study = new Study(plan, trainOptions, log::info);
        var results = study.execute();
        log.info("study: {} of {} runs finished; report {}", results.size(), study.schedule().size(), plan.report());
    }
}
