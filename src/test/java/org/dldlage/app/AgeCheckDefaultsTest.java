package org.dldlage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The configured default buffer is the one docs/age-checks.md computed (regenerate the report, then
 * copy its default buffer into AgeProperties, the setting's one home; when none met the target, the
 * largest buffer swept).
 */
class AgeCheckDefaultsTest {

    @Test
    void theDefaultBufferIsTheOneTheReportComputed() throws IOException {
        JsonNode report = new ObjectMapper().readTree(Path.of("docs/age-checks.json").toFile());
        // when no swept buffer met the target, the largest one swept is configured (the report says so)
        double expected = report.get("defaultBuffer").isNumber() ? report.get("defaultBuffer").asDouble()
                : java.util.stream.StreamSupport.stream(report.get("sets").get(0).get("checks").spliterator(), false)
                        .filter(c -> c.has("buffer")).mapToDouble(c -> c.get("buffer").asDouble()).max().orElseThrow();
        AgeProperties.Check defaults = Binder.get(new org.springframework.core.env.StandardEnvironment()).bindOrCreate("age",
                AgeProperties.class).check();
        assertThat(defaults.defaultBuffer()).isEqualTo(expected);
        assertThat(defaults.failProbability()).isEqualTo(report.get("failProbability").asDouble());
        assertThat(defaults.passProbability()).isEqualTo(report.get("passProbability").asDouble());
        assertThat(new Binder(new MapConfigurationPropertySource(Map.of("age.check.default-buffer", "2.5")))
                .bindOrCreate("age", AgeProperties.class).check().at(18, null).buffer()).isEqualTo(2.5);
    }
}
