package org.dldlage.train.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code labels.csv} with a header holding at least {@code file,age}; optional {@code std}
 * (ChaLearn's vote spread, used as σ), {@code split}, {@code gender} and {@code race}. Other columns
 * are ignored. Rows that cannot be used are counted by kind, not fatal here.
 */
public final class LabelledFaces {

    /**
     * One labelled image.
     *
     * @param sigma the image's σ, NaN when the CSV has none
     * @param gender the CSV's gender code or null
     * @param race the CSV's race code or null
     */
    public record Sample(Path file, double age, double sigma, String split, String gender, String race) {}

    private final List<Sample> samples;
    private final Map<String, Integer> skipped;
    private final int rows;

    private LabelledFaces(List<Sample> samples, Map<String, Integer> skipped, int rows) {
        this.samples = samples;
        this.skipped = skipped;
        this.rows = rows;
    }

    /**
     * Reads a labels file; image paths are resolved against {@code imageDir}.
     *
     * @param split keep only rows of this split (null: all rows)
     * @param minAge rows with an age below are skipped as "age out of range"
     * @param maxAge rows with an age above are skipped as "age out of range"
     * @throws IllegalArgumentException for a missing file or a header without {@code file} and {@code age}
     */
    public static LabelledFaces read(Path csv, Path imageDir, String split, double minAge, double maxAge) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("labels file " + csv + " does not exist");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("labels file " + csv + " is empty");
        }
        List<String> header = Arrays.stream(lines.get(0).split(",", -1))
                .map(h -> h.trim().toLowerCase(Locale.ROOT).replace("\uFEFF", "")).toList();
        int fileCol = header.indexOf("file") >= 0 ? header.indexOf("file") : header.indexOf("filename");
        int ageCol = header.indexOf("age");
        if (fileCol < 0 || ageCol < 0) {
            throw new IllegalArgumentException("labels file " + csv + " needs a header with 'file' and 'age' columns ('filename' is accepted for 'file'), found: "
                    + lines.get(0));
        }
        int stdCol = header.indexOf("std");
        int splitCol = header.indexOf("split");
        int genderCol = header.indexOf("gender");
        int raceCol = header.indexOf("race");
        if (split != null && splitCol < 0) {
            throw new IllegalArgumentException("labels file " + csv + " has no 'split' column to select '" + split + "' from");
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        int rows = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (split != null && (f.length <= splitCol || !split.equals(f[splitCol].trim()))) {
                continue;
            }
            rows++;
            if (f.length <= Math.max(fileCol, ageCol)) {
                skipped.merge("malformed row", 1, Integer::sum);
                continue;
            }
            double age;
            double sigma = Double.NaN;
            try {
                age = Double.parseDouble(f[ageCol].trim());
                if (stdCol >= 0 && f.length > stdCol && !f[stdCol].isBlank()) {
                    sigma = Double.parseDouble(f[stdCol].trim());
                }
            } catch (NumberFormatException e) {
                skipped.merge("unparsable age or std", 1, Integer::sum);
                continue;
            }
            if (!(age >= minAge && age <= maxAge)) {
                skipped.merge("age out of range", 1, Integer::sum);
                continue;
            }
            if (!Double.isNaN(sigma) && !(sigma > 0)) {
                sigma = Double.NaN; // a zero vote spread carries no σ: fall back to the default
            }
            Path file = imageDir.resolve(f[fileCol].trim());
            if (!Files.isRegularFile(file)) {
                skipped.merge("missing image", 1, Integer::sum);
                continue;
            }
            samples.add(new Sample(file, age, sigma, splitCol >= 0 && f.length > splitCol ? f[splitCol].trim() : null,
                    genderCol >= 0 && f.length > genderCol ? f[genderCol].trim() : null,
                    raceCol >= 0 && f.length > raceCol ? f[raceCol].trim() : null));
        }
        return new LabelledFaces(samples, skipped, rows);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Skipped rows by kind (missing image, age out of range, ...). */
    public Map<String, Integer> skipped() {
        return skipped;
    }

    /** Rows considered (after the split filter). */
    public int rows() {
        return rows;
    }

    public int skippedCount() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }
}
