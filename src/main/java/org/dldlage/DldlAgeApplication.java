package org.dldlage;

import org.dldlage.app.engine.EngineSetup;
import org.dldlage.app.startup.StartupFailureAnalyzer;
import org.dldlage.app.tools.ModelTools;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Profiles;

/** dldl-age: the age service, and with the {@code trainer}, {@code evaluate}, {@code study}, {@code agecheck} or {@code report} profile, the model tools. */
@SpringBootApplication
@ConfigurationPropertiesScan("org.dldlage.app")
public class DldlAgeApplication {

    public static void main(String[] args) {
        // PyTorch reads its thread and cache settings once, when the engine loads: set them first
        EngineSetup.configure(args);
        try {
            ConfigurableApplicationContext ctx = SpringApplication.run(DldlAgeApplication.class, args);
            if (ctx.getEnvironment().acceptsProfiles(Profiles.of(ModelTools.PROFILES))) {
                System.exit(SpringApplication.exit(ctx));
            }
        } catch (Throwable e) {
            // configuration and bundle failures were already reported in one line by StartupFailureAnalyzer;
            // anything else (bad data for the trainer, say) is reported here, also in one line
            if (new StartupFailureAnalyzer().analyze(e) == null) {
                System.err.println("dldl-age: " + StartupFailureAnalyzer.oneLine(e));
            }
            System.exit(2);
        }
    }
}
