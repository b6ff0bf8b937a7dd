package org.dldlage.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where ../shared/data lives; tests that need it are skipped with a message saying so when it is absent. */
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

    public static Path fgnet() {
        Path p = root().resolve("fgnet");
        assumeTrue(Files.isDirectory(p.resolve("images")),
                "FG-NET is absent: expected " + p + "/images (../shared/data beside the checkout); test skipped");
        return p;
    }
}
