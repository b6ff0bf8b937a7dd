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
        return tool(env, "train", TrainOptions.class, o -> new TrainerCommand(o).run());
    }

    @Bean
    @Profile("evaluate")
    ApplicationRunner evaluate(Environment env) {
        return tool(env, "eval", EvalOptions.class, o -> new EvaluateCommand(o).run());
    }

    @Bean
    @Profile("study")
    ApplicationRunner study(Environment env) {
        return tool(env, "study", StudyOptions.class, o -> new StudyCommand(o, ToolOptions::train).run());
    }

    @Bean
    @Profile("report")
    ApplicationRunner report(Environment env) {
        return tool(env, "report", ReportOptions.class, o -> new ReportCommand(o).run());
    }

    /** The report measures the rule the service is configured with ({@code age.check.*}). */
    @Bean
    @Profile("agecheck")
    ApplicationRunner agecheck(Environment env, AgeProperties service) {
        return tool(env, "agecheck", AgeCheckOptions.class, o -> new AgeCheckCommand(o, service.check().at(18, null)).run());
    }

    /** A tool's work on its options, which are bound (and refused in one line) when the context starts. */
    private interface Command<T> {
        void run(T options) throws Exception;
    }

    private static <T> ApplicationRunner tool(Environment env, String prefix, Class<T> type, Command<T> command) {
        T options = ToolOptions.bind(env, prefix, type);
        return args -> command.run(options);
    }
}
