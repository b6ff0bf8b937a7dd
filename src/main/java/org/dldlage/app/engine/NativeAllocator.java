package org.dldlage.app.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Which malloc serves PyTorch's tensors. It matters for resident memory: MTCNN allocates tensors
 * whose sizes follow each photo's size, and glibc's malloc keeps most of what they free (measured:
 * 1.9 GiB after 1,000 different FG-NET photos), where jemalloc returns it (0.9 GiB). See
 * docs/service.md, "Native memory".
 */
public final class NativeAllocator {

    private NativeAllocator() {}

    /** {@code jemalloc}, {@code tcmalloc}, {@code glibc} or {@code unknown} (not Linux). */
    public static String name() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.map(l -> l.contains("libjemalloc") ? "jemalloc" : l.contains("libtcmalloc") ? "tcmalloc" : null)
                    .filter(n -> n != null).findFirst().orElse("glibc");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown";
        }
    }

    /** One line for the start-up log; {@code warn} is true where resident memory is known to grow. */
    public record Report(String line, boolean warn) {}

    public static Report report() {
        String name = name();
        if (!name.equals("glibc")) {
            return new Report("native allocator: " + name, false);
        }
        String arenas = System.getenv("MALLOC_ARENA_MAX");
        return new Report("native allocator: glibc malloc" + (arenas == null ? "" : " (MALLOC_ARENA_MAX=" + arenas + ")")
                + ": resident memory grows with every new photo size under align=mtcnn; preload jemalloc"
                + " (LD_PRELOAD=libjemalloc.so.2, see docs/service.md, \"Native memory\")", true);
    }
}
