package org.dldlage.app.engine;

import org.dldlage.face.detect.Mtcnn;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code age.engine.threads} from wherever Spring reads settings (arguments, environment variables,
 * {@code application.yml}), applied before the first bean loads PyTorch: the engine reads its thread
 * count once, when it loads. Also {@code age.detection.mtcnn-dir}, for the code outside Spring's beans
 * (the tools' data preparation) that looks for the MTCNN weights.
 */
public class EngineThreads implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        EngineSetup.threads(environment.getProperty(EngineSetup.THREADS_PROPERTY));
        String mtcnn = environment.getProperty(Mtcnn.DIR_PROPERTY);
        if (mtcnn != null && !mtcnn.isBlank()) {
            System.setProperty(Mtcnn.DIR_PROPERTY, mtcnn);
        }
    }
}
