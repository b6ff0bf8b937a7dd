package org.dldlage;

import org.dldlage.config.EngineSetup;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** dldl-age: the age service, and with the {@code trainer} or {@code evaluate} profile, the model tools. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DldlAgeApplication {

    public static void main(String[] args) {
        // PyTorch reads its thread and cache settings once, when the engine loads: set them first
        EngineSetup.configure(args);
        SpringApplication.run(DldlAgeApplication.class, args);
    }
}
