package org.dldlage;

import org.dldlage.config.EngineSetup;
import org.dldlage.config.StartupFailure;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Profiles;

/** dldl-age: the age service, and with the {@code trainer} or {@code evaluate} profile, the model tools. */
@SpringBootApplication
public class DldlAgeApplication {

    public static void main(String[] args) {
        // PyTorch reads its thread and cache settings once, when the engine loads: set them first
        EngineSetup.configure(args);
        try {
            ConfigurableApplicationContext ctx = SpringApplication.run(DldlAgeApplication.class, args);
            if (ctx.getEnvironment().acceptsProfiles(Profiles.of("trainer | evaluate"))) {
                System.exit(SpringApplication.exit(ctx));
            }
        } catch (Throwable e) {
            // bad options, data or bundles: one line, no stack trace (Spring's own report is silenced in application.yml)
            System.err.println("dldl-age: " + StartupFailure.describe(e));
            System.exit(2);
        }
    }
}
