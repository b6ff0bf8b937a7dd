package org.dldlage.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dldlage.core.LabelSpace;

/**
 * The train, val and (optional) test splits of a data folder, decoded once. Two layouts: one
 * {@code labels.csv} with a {@code split} column (UTKFace as in shared/data), or {@code train/},
 * {@code val/} and {@code test/} folders each with its own {@code labels.csv}.
 */
public record TrainingData(FaceCache train, FaceCache val, FaceCache test) {

    /** More bad rows than this share of all rows stops the run. */
    public static final double MAX_BAD_SHARE = 0.05;

    /**
     * @param limit at most this many training images, the first ones in file order (0: all)
     * @throws IllegalArgumentException with a one-line reason when the folder cannot be used
     */
    public static TrainingData load(Path dir, LabelSpace space, int size, int limit, Consumer<String> log) {
        return load(dir, space, size, limit, train -> FaceCache.preparer(null, org.dldlage.face.align.Align.NONE, null, size), log);
    }

    /**
     * @param preparation given the training samples (e.g. to derive an alignment template from them),
     *     how every split's images become faces
     */
    public static TrainingData load(Path dir, LabelSpace space, int size, int limit,
            Function<List<LabelledFaces.Sample>, FaceCache.Preparer> preparation, Consumer<String> log) {
        List<LabelledFaces> splits = splits(dir, space);
        String[] names = {"train", "val", "test"};
        int rows = 0;
        int bad = 0;
        for (int i = 0; i < 3; i++) {
            LabelledFaces f = splits.get(i);
            if (f == null) {
                continue;
            }
            rows += f.rows();
            bad += f.skippedCount();
            if (!f.skipped().isEmpty()) {
                log.accept(names[i] + ": skipped " + f.skippedCount() + " of " + f.rows() + " rows " + f.skipped());
            }
        }
        if (splits.get(0).samples().isEmpty() || splits.get(1).samples().isEmpty()) {
            throw new IllegalArgumentException("data folder " + dir + " has no usable train or val images");
        }
        checkBadShare(dir, space, bad, rows);
        var trainSamples = splits.get(0).samples();
        FaceCache.Preparer preparer = preparation.apply(
                limit > 0 && trainSamples.size() > limit ? trainSamples.subList(0, limit) : trainSamples);
        FaceCache[] caches = new FaceCache[3];
        long bytes = 0;
        for (int i = 0; i < 3; i++) {
            LabelledFaces f = splits.get(i);
            if (f == null || f.samples().isEmpty()) {
                continue;
            }
            var samples = f.samples();
            if (i == 0 && limit > 0 && samples.size() > limit) {
                samples = samples.subList(0, limit);
            }
            long t0 = System.nanoTime();
            caches[i] = new FaceCache(samples, size, preparer);
            bad += caches[i].unreadable() + caches[i].noFace();
            bytes += caches[i].bytes();
            log.accept(String.format("%s: %d images decoded once to %dx%d in %.1f s%s", names[i], caches[i].size(), size, size,
                    (System.nanoTime() - t0) / 1e9, caches[i].unreadable() > 0 ? ", " + caches[i].unreadable() + " unreadable" : "")
                    + (caches[i].noFace() > 0 ? ", " + caches[i].noFace() + " without a detected face" : ""));
        }
        log.accept(String.format("image cache: %.1f MB in memory", bytes / 1e6));
        checkBadShare(dir, space, bad, rows);
        return new TrainingData(caches[0], caches[1], caches[2]);
    }

    /**
     * The train, val and test labels of a data folder (test null when the folder has no test split).
     *
     * @throws IllegalArgumentException with a one-line reason when the folder cannot be used
     */
    public static List<LabelledFaces> splits(Path dir, LabelSpace space) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data folder " + dir + " does not exist");
        }
        List<LabelledFaces> splits = new ArrayList<>();
        Path csv = dir.resolve("labels.csv");
        if (Files.isRegularFile(csv)) {
            Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
            for (String split : List.of("train", "val", "test")) {
                splits.add(LabelledFaces.read(csv, images, split, space.min(), space.max()));
            }
        } else if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("val"))) {
            for (String split : List.of("train", "val", "test")) {
                Path sub = dir.resolve(split);
                Path subCsv = sub.resolve("labels.csv");
                if (split.equals("test") && !Files.isRegularFile(subCsv)) {
                    splits.add(null);
                    continue;
                }
                Path images = Files.isDirectory(sub.resolve("images")) ? sub.resolve("images") : sub;
                splits.add(LabelledFaces.read(subCsv, images, null, space.min(), space.max()));
            }
        } else {
            throw new IllegalArgumentException("data folder " + dir
                    + " has neither labels.csv nor train/ and val/ folders with labels.csv");
        }
        return splits;
    }

    private static void checkBadShare(Path dir, LabelSpace space, int bad, int rows) {
        if (rows > 0 && (double) bad / rows > MAX_BAD_SHARE) {
            throw new IllegalArgumentException(String.format(
                    "data folder %s: %d of %d rows (%.1f%%) are unusable (missing or unreadable images, ages outside %s..%s), more than %.0f%%",
                    dir, bad, rows, 100.0 * bad / rows, space.min(), space.max(), MAX_BAD_SHARE * 100));
        }
    }

}
