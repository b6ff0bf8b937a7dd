package org.dldlage.app.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code age.engine.threads} from wherever Spring reads settings (arguments, environment variables,
 * {@code application.yml}), applied before the first bean loads PyTorch: the engine reads its thread
 * count once, when it loads.
 */
public class EngineThreads implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        EngineSetup.threads(environment.getProperty(EngineSetup.THREADS_PROPERTY));
    }
}
