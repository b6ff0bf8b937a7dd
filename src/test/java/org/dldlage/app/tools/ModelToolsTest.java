package org.dldlage.app.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dldlage.api.WhenServing;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.FileSystemResource;

/** Every place that lists the tool profiles lists the same ones, and each has exactly one runner. */
class ModelToolsTest {

    private static Set<String> names(String expression) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("[a-z]+").matcher(expression);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void theToolProfilesAgreeEverywhere() throws IOException {
        Set<String> tools = names(ModelTools.PROFILES);
        assertThat(tools).containsExactly("agecheck", "evaluate", "report", "study", "trainer");
        assertThat(Arrays.stream(ModelTools.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Bean.class))
                .map(m -> m.getAnnotation(Profile.class).value()[0]).sorted().toList()).as("one runner each")
                .containsExactlyElementsOf(tools);
        assertThat(names(WhenServing.class.getAnnotation(Profile.class).value()[0])).as("WhenServing").isEqualTo(tools);
        String yml = new YamlPropertySourceLoader().load("application", new FileSystemResource("src/main/resources/application.yml"))
                .stream().filter(s -> s.getProperty("spring.main.web-application-type") != null)
                .map(s -> String.valueOf(s.getProperty("spring.config.activate.on-profile"))).findFirst().orElseThrow();
        assertThat(names(yml)).as("application.yml, web-application-type: none").isEqualTo(tools);
        Matcher logback = Pattern.compile("<springProfile name=\"([^\"]+)\">")
                .matcher(Files.readString(Path.of("src/main/resources/logback-spring.xml")));
        while (logback.find()) {
            assertThat(names(logback.group(1))).as("logback-spring.xml " + logback.group(1)).isEqualTo(tools);
        }
    }
}
