package org.dldlage.app.tools;

import org.dldlage.app.AgeProperties;
import org.dldlage.train.cli.AgeCheckOptions;
import org.dldlage.train.cli.EvalOptions;
import org.dldlage.train.cli.ReportOptions;
import org.dldlage.train.cli.StudyOptions;
import org.dldlage.train.cli.TrainOptions;
import org.dldlage.train.loop.TrainerCommand;
import org.dldlage.train.report.AgeCheckCommand;
import org.dldlage.train.report.EvaluateCommand;
import org.dldlage.train.report.ReportCommand;
import org.dldlage.train.study.StudyCommand;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * One runner per tool profile. Options are bound and validated when the context starts, so a bad
 * value stops it with one line before any work; a failure in the work itself propagates, and
 * {@code DldlAgeApplication} exits non-zero with one line either way (0 when the command returns).
 */
@Configuration(proxyBeanMethods = false)
public class ModelTools {

    /**
     * The tool profiles, as a profile expression: each has a runner below, and with one of them the process
     * runs no web server ({@code application.yml}), logs to stderr ({@code logback-spring.xml}), starts no
     * service beans ({@code WhenServing}) and exits when its command returns ({@code DldlAgeApplication}).
     */
    public static final String PROFILES = "trainer | evaluate | study | agecheck | report";

    @Bean
    @Profile("trainer")
    ApplicationRunner trainer(Environment env) {
        TrainOptions options = ToolOptions.bind(env, "train", TrainOptions.class);
        return args -> new TrainerCommand(options).run();
    }

    @Bean
    @Profile("evaluate")
    ApplicationRunner evaluate(Environment env) {
        EvalOptions options = ToolOptions.bind(env, "eval", EvalOptions.class);
        return args -> new EvaluateCommand(options).run();
    }

    @Bean
    @Profile("study")
    ApplicationRunner study(Environment env) {
        StudyOptions options = ToolOptions.bind(env, "study", StudyOptions.class);
        return args -> new StudyCommand(options, ToolOptions::train).run();
    }

    @Bean
    @Profile("report")
    ApplicationRunner report(Environment env) {
        ReportOptions options = ToolOptions.bind(env, "report", ReportOptions.class);
        return args -> new ReportCommand(options).run();
    }

    /** The report measures the rule the service is configured with ({@code age.check.*}). */
    @Bean
    @Profile("agecheck")
    ApplicationRunner agecheck(Environment env, AgeProperties service) {
        AgeCheckOptions options = ToolOptions.bind(env, "agecheck", AgeCheckOptions.class);
        return args -> new AgeCheckCommand(options, service.check().at(18, null)).run();
    }
}
