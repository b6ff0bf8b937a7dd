package org.dldlage.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Real face photos from {@code ../shared/data} (never copied into the project). */
public final class SharedData {

    private SharedData() {}

    public static Path utkfaceImages() {
        Path dir = Path.of(System.getProperty("dldl.shared.dir", "../shared"), "data", "utkface", "images");
        assumeTrue(Files.isDirectory(dir), "UTKFace images not found at " + dir.toAbsolutePath()
                + " (set -Ddldl.shared.dir to the shared folder): skipping");
        return dir;
    }

    /** The first n UTKFace crops by file name (200×200 JPEG faces). */
    public static List<byte[]> utkfaceCrops(int n) {
        try (Stream<Path> files = Files.list(utkfaceImages())) {
            return files.sorted().limit(n).map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path firstUtkfaceCrop() {
        try (Stream<Path> files = Files.list(utkfaceImages())) {
            return files.sorted().findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
