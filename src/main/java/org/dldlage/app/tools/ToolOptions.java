package org.dldlage.app.tools;

import jakarta.validation.Validation;
import java.util.HashMap;
import java.util.Map;
import org.dldlage.app.startup.StartupFailureAnalyzer;
import org.dldlage.train.cli.TrainOptions;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Binds a tool's options record (constructor binding, relaxed names: {@code --train.input-size},
 * {@code --train.arch=thin} for an enum) and checks its jakarta.validation constraints, as
 * {@code @ConfigurationProperties} would: a failure is a {@link BindException} that
 * {@link StartupFailureAnalyzer} reports in one line.
 */
public final class ToolOptions {

    private static final SpringValidatorAdapter VALIDATOR =
            new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator());

    private ToolOptions() {}

    /** The options under {@code prefix} in the environment; options left out take the record's defaults. */
    static <T> T bind(Environment env, String prefix, Class<T> type) {
        return Binder.get(env).bindOrCreate(prefix, Bindable.of(type), new ValidationBindHandler(VALIDATOR));
    }

    /**
     * Trainer options given by name ({@code --train.NAME} without the prefix, e.g. a study plan's row):
     * an unknown name or a bad value fails with one line naming it.
     *
     * @throws IllegalArgumentException for an unknown name or a bad value
     */
    public static TrainOptions train(Map<String, String> settings) {
        Map<String, String> props = new HashMap<>();
        settings.forEach((k, v) -> props.put("train." + k, v));
        BindHandler handler = new ValidationBindHandler(new NoUnboundElementsBindHandler(BindHandler.DEFAULT), VALIDATOR);
        try {
            return new Binder(new MapConfigurationPropertySource(props)).bindOrCreate("train", Bindable.of(TrainOptions.class),
                    handler);
        } catch (BindException e) {
            FailureAnalysis analysis = new StartupFailureAnalyzer().analyze(e);
            throw new IllegalArgumentException(analysis != null
                    ? analysis.getDescription().replaceFirst("^invalid configuration: ", "")
                    : StartupFailureAnalyzer.oneLine(e), e);
        }
    }
}
