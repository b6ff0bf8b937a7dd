package org.dldlage.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** Reads the project's operations files (Dockerfile, compose, k8s/, ops/) for the tests that keep them honest. */
final class OpsFiles {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DASHBOARD = ROOT.resolve("ops/grafana/dashboards/dldl-age.json");
    static final Path PROMETHEUS_CONFIG = ROOT.resolve("ops/prometheus/prometheus.yml");

    private OpsFiles() {}

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of a file (k8s files may hold several). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path file) {
        try {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object o : new Yaml().loadAll(Files.readString(file))) {
                if (o != null) {
                    docs.add((Map<String, Object>) o);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> yaml(String relative) {
        List<Map<String, Object>> docs = yamlDocuments(ROOT.resolve(relative));
        if (docs.size() != 1) {
            throw new IllegalStateException(relative + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yamlString(String text) {
        return (Map<String, Object>) new Yaml().load(text);
    }

    /** All YAML files below a folder, sorted. */
    static List<Path> yamlFiles(String folder) {
        try (Stream<Path> files = Files.walk(ROOT.resolve(folder))) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Walks nested maps/lists by keys and indices: {@code at(doc, "spec", "template", "spec")}. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object cur = node;
        for (Object key : path) {
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(key);
            } else if (cur instanceof List<?> l && key instanceof Integer i) {
                cur = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return (T) cur;
    }

    /** Flattens nested maps into dotted keys ({@code server.port -> 8080}). */
    static Map<String, Object> flatten(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", map, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> out) {
        map.forEach((k, v) -> {
            String key = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> m) {
                flatten(key, (Map<String, Object>) m, out);
            } else {
                out.put(key, v);
            }
        });
    }

    /** Every property the service has: AgeProperties' (with their defaults) and those application.yml sets. */
    static Map<String, Object> serviceProperties() {
        Map<String, Object> all = new LinkedHashMap<>(flatten(applicationYml()));
        org.dldlage.support.PropertyDefaults.age().forEach(all::put);
        return all;
    }

    /** The service's own application.yml, first document (the defaults, not the trainer profile). */
    static Map<String, Object> applicationYml() {
        return yamlDocuments(ROOT.resolve("src/main/resources/application.yml")).get(0);
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every PromQL expression of the Grafana dashboard, with the panel title it belongs to. */
    static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            int n = 0;
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " #" + (++n), target.path("expr").asText());
            }
        }
        return queries;
    }

    /** Grafana's interval variables replaced by a fixed window, so Prometheus can run the query as is. */
    static String withGrafanaVariables(String expr, String window) {
        return expr.replace("$__rate_interval", window).replace("$__interval", window).replace("$__range", window);
    }

    /** Dockerfile instructions, continuation lines joined, comments dropped. */
    static List<String> dockerfileInstructions() {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : read("Dockerfile").split("\n")) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && cur.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
            } else {
                cur.append(t);
                out.add(cur.toString().replaceAll("\\s+", " ").strip());
                cur.setLength(0);
            }
        }
        return out;
    }

    /** A Prometheus/compose style duration ({@code 5s}, {@code 1m}, {@code 250ms}) in seconds. */
    static double springDurationSeconds(Object value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(String.valueOf(value).strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n / 1000.0;
            case "s" -> n;
            case "m" -> n * 60.0;
            default -> n * 3600.0;
        };
    }

    /** The first group of the first match of a pattern in a text, or null. */
    static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
