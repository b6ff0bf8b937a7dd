package org.dldlage.support;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dldlage.app.AgeProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code age.*} property with its default, read from {@link AgeProperties} itself (the settings'
 * one home), formatted as one writes it in YAML or a table: {@code 2s}, {@code 10MB}, {@code mtcnn}, ...
 * A null value (unset) maps to null.
 */
public final class PropertyDefaults {

    private PropertyDefaults() {}

    /** {@code age.models.watch.interval} → {@code 2s}, in declaration order. */
    public static Map<String, String> age() {
        AgeProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("age", AgeProperties.class);
        Map<String, String> out = new LinkedHashMap<>();
        walk("age", defaults, out);
        return out;
    }

    private static void walk(String prefix, Object record, Map<String, String> out) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        java.lang.reflect.Parameter[] parameters;
        try { // @Name sits on the canonical constructor's parameter, where Spring reads it
            parameters = record.getClass().getDeclaredConstructor(java.util.Arrays.stream(components)
                    .map(RecordComponent::getType).toArray(Class<?>[]::new)).getParameters();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Name name = parameters[i].getAnnotation(Name.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(c.getName()));
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (c.getType().isRecord()) {
                walk(key, value, out);
            } else {
                out.put(key, format(value));
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static String format(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (v instanceof DataSize s) {
            return s.toMegabytes() + "MB";
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "" : String.join(",", l.stream().map(String::valueOf).toList());
        }
        if (v instanceof Path p) {
            return p.toString();
        }
        return String.valueOf(v);
    }
}
