package org.dldlage.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real face photos from {@code ../shared/data} (never copied into the project); tests that need
 * them are skipped with a message saying so when they are absent.
 */
public final class SharedData {

    private SharedData() {}

    public static Path root() {
        return Path.of(System.getProperty("dldl.shared.dir", "../shared")).toAbsolutePath().normalize().resolve("data");
    }

    public static Path utkface() {
        Path p = root().resolve("utkface");
        assumeTrue(Files.isRegularFile(p.resolve("labels.csv")),
                "UTKFace is absent: expected " + p + "/labels.csv (../shared/data beside the checkout); test skipped");
        return p;
    }

    public static Path appaReal() {
        Path p = root().resolve("appa-real");
        assumeTrue(Files.isRegularFile(p.resolve("labels.csv")), "APPA-REAL not found at " + p);
        return p;
    }

    public static Path fgnet() {
        Path p = root().resolve("fgnet");
        assumeTrue(Files.isDirectory(p.resolve("images")),
                "FG-NET is absent: expected " + p + "/images (../shared/data beside the checkout); test skipped");
        return p;
    }

    public static Path utkfaceImages() {
        return utkface().resolve("images");
    }

    /** The first n UTKFace crops by file name (200×200 JPEG faces), as bytes. */
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

    /** The first n UTKFace {@code test} crops (by labels.csv order) aged minAge..maxAge years. */
    public static List<Path> utkfaceTest(int minAge, int maxAge, int n) {
        Path utk = utkface();
        try {
            List<String> lines = Files.readAllLines(utk.resolve("labels.csv"));
            List<String> header = List.of(lines.get(0).split(","));
            int file = header.indexOf("file");
            int age = header.indexOf("age");
            int split = header.indexOf("split");
            return lines.stream().skip(1).map(l -> l.split(",", -1))
                    .filter(f -> f[split].equals("test") && Integer.parseInt(f[age]) >= minAge && Integer.parseInt(f[age]) <= maxAge)
                    .limit(n).map(f -> utk.resolve("images").resolve(f[file])).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
