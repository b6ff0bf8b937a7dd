package org.dldlage.train.study;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * An ablation study read from YAML: trainer options every run shares ({@code base}) and questions,
 * each a table of rows that override some of them. Rows with equal settings are trained once and
 * shared between tables (the baseline appears in most of them).
 *
 * @param file where the plan was read from
 * @param data the labelled faces every run trains and is tested on
 * @param runs where each run's bundle, checkpoint and {@code result.json} go (what makes the study resumable)
 * @param report the Markdown file written after every finished run
 * @param base trainer options ({@code --train.*} names without the prefix, kebab-case)
 */
public record StudyPlan(Path file, Path data, Path runs, Path report, Map<String, String> base, List<Question> questions) {

    /** What a question compares: a table of rows, or a ranking model's outputs against 1 − T·p̂ of a distribution model. */
    public enum Kind { TABLE, RANKING_CDF }

    /**
     * @param rows the table's rows; rows with the same label are seeds of one configuration
     * @param ranking for {@link Kind#RANKING_CDF}: the ranking run
     * @param distribution for {@link Kind#RANKING_CDF}: the run whose p̂ gives 1 − T·p̂
     */
    public record Question(String id, String title, String claim, Kind kind, List<Row> rows, Row ranking, Row distribution) {}

    /** One row: a label and the options it sets on top of {@code base}. */
    public record Row(String label, Map<String, String> settings) {}

    /** Reads a plan; relative paths in it are resolved against the working directory. */
    public static StudyPlan read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("study plan " + file + " does not exist");
        }
        Object doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("study plan " + file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, Object> root = map(doc, file + "");
        List<Question> questions = new ArrayList<>();
        for (Object q : list(root.get("questions"), "questions")) {
            Map<String, Object> m = map(q, "a question");
            String id = text(m, "id", "a question");
            Kind kind = "ranking-cdf".equals(m.get("kind")) ? Kind.RANKING_CDF : Kind.TABLE;
            List<Row> rows = new ArrayList<>();
            if (kind == Kind.TABLE) {
                for (Object r : list(m.get("rows"), "question " + id + ": rows")) {
                    rows.add(row(r, id));
                }
            }
            questions.add(new Question(id, text(m, "title", id), m.getOrDefault("claim", "").toString(), kind, rows,
                    kind == Kind.RANKING_CDF ? row(m.get("ranking"), id) : null,
                    kind == Kind.RANKING_CDF ? row(m.get("distribution"), id) : null));
        }
        return new StudyPlan(file, Path.of(text(root, "data", "the plan")), Path.of(text(root, "runs", "the plan")),
                Path.of(text(root, "report", "the plan")), strings(root.get("base"), "base"), questions);
    }

    private static Row row(Object o, String question) {
        Map<String, String> settings = strings(o, "question " + question + ": a row");
        String label = settings.remove("label");
        if (label == null) {
            throw new IllegalArgumentException("study plan: question " + question + " has a row without a label: " + settings);
        }
        return new Row(label, settings);
    }

    private static Map<String, String> strings(Object o, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        map(o, what).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("study plan: " + what + " must be a mapping");
        }
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o, String what) {
        if (!(o instanceof List<?> l) || l.isEmpty()) {
            throw new IllegalArgumentException("study plan: " + what + " must be a non-empty list");
        }
        return l;
    }

    private static String text(Map<String, Object> m, String key, String what) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("study plan: " + what + " has no '" + key + "'");
        }
        return v.toString();
    }
}
