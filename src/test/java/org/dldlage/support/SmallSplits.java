package org.dldlage.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small labels.csv over real UTKFace images (referenced by absolute path, never copied) with
 * the first n train, val and test rows of the shared split.
 */
public final class SmallSplits {

    private SmallSplits() {}

    public static Path write(Path dir, int train, int val, int test) throws IOException {
        return write(dir, SharedData.utkface(), train, val, test);
    }

    /** The same over another shared set with labels.csv and images/ (e.g. {@link SharedData#appaReal()}). */
    public static Path write(Path dir, Path utk, int train, int val, int test) throws IOException {
        List<String> lines = Files.readAllLines(utk.resolve("labels.csv"));
        String[] header = lines.get(0).split(",");
        int fileCol = List.of(header).indexOf("file");
        int splitCol = List.of(header).indexOf("split");
        int ageCol = List.of(header).indexOf("age");
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        int[] left = {train, val, test};
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            int i = List.of("train", "val", "test").indexOf(f[splitCol]);
            if (i < 0 || left[i] == 0 || Double.parseDouble(f[ageCol]) > 100) {
                continue;
            }
            left[i]--;
            f[fileCol] = utk.resolve("images").resolve(f[fileCol]).toString();
            out.add(String.join(",", f));
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("labels.csv"), out);
        return dir;
    }
}
