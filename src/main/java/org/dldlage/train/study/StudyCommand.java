package org.dldlage.train.study;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * {@code --spring.profiles.active=study --study.plan=FILE}: trains and tests every configuration of
 * an ablation plan (see {@code docs/ablation-plan.yml}) and writes its report. Stopping it at any
 * point loses at most the current epoch: the same command resumes.
 */
@Component
@EnableConfigurationProperties(StudyCommand.Properties.class)
@Profile("study")
class StudyCommand implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StudyCommand.class);

    /** @param plan the study's YAML plan */
    @Validated
    @ConfigurationProperties("study")
    record Properties(@NotNull Path plan) {}

    private final Properties properties;

    StudyCommand(Properties properties) {
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        StudyPlan plan = StudyPlan.read(properties.plan());
        Study study = new Study(plan, log::info);
        var results = study.execute();
        log.info("study: {} of {} runs finished; report {}", results.size(), study.schedule().size(), plan.report());
    }
}
