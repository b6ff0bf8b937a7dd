package org.dldlage.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dldlage.support.PropertyDefaults;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/**
 * Every setting has one home, {@link AgeProperties}: the configuration table of docs/service.md lists
 * each of its properties with the default it really has, and application.yml sets none of them again.
 */
class ConfigurationDocsTest {

    /** {@code | `age.x.y` | default | meaning |} rows of docs/service.md. */
    static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `(age\\.[a-z.-]+)` \\| ([^|]*) \\|").matcher(Files.readString(Path.of("docs/service.md")));
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim().replace("`", ""));
        }
        return rows;
    }

    @Test
    void theDocsTableListsEveryPropertyWithItsRealDefault() throws IOException {
        Map<String, String> defaults = PropertyDefaults.age();
        Map<String, String> docs = documented();
        assertThat(docs.keySet()).as("properties in docs/service.md").containsExactlyInAnyOrderElementsOf(defaults.keySet());
        defaults.forEach((property, value) -> {
            String doc = docs.get(property);
            if (value == null || value.isEmpty()) {
                assertThat(doc).as(property).matches("(empty|unset|cores)( .*)?");
            } else {
                // "0 (= cores)" documents the default 0
                assertThat(doc.split(" ")[0]).as(property).isEqualTo(value);
            }
        });
    }

    @Test
    void applicationYmlSetsNoAgeDefaultAgain() throws IOException {
        var yml = new YamlPropertySourceLoader().load("application", new FileSystemResource("src/main/resources/application.yml"))
                .get(0);
        PropertyDefaults.age().forEach((property, value) -> {
            Object set = yml.getProperty(property);
            if (set != null) { // only what differs from the default belongs there
                assertThat(String.valueOf(set)).as(property + " restates its default in application.yml").isNotEqualTo(value);
            }
        });
    }
}
