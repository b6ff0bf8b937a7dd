package org.dldlage.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dldlage.support.ChildJvm;
import org.junit.jupiter.api.Test;

/** The start-up log's allocator line, checked in a child JVM with and without jemalloc preloaded. */
class NativeAllocatorTest {

    /** Debian's libjemalloc2 (the Docker image and the jemalloc Maven profile use the same path). */
    private static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    /** Prints what the service would log. */
    public static final class Probe {
        public static void main(String[] args) {
            NativeAllocator.Report r = NativeAllocator.report();
            System.out.println(NativeAllocator.name() + " " + r.warn());
        }
    }

    private static String probe(String preload) throws Exception {
        String out = ChildJvm.run(Probe.class, List.of("LD_PRELOAD"), preload == null ? Map.of() : Map.of("LD_PRELOAD", preload));
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void glibcIsReportedWithAWarningAndPreloadedJemallocWithout() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "not Linux: the allocator cannot be read; test skipped");
        assertThat(probe(null)).isEqualTo("glibc true");
        assumeTrue(Files.isRegularFile(JEMALLOC), "libjemalloc2 is not installed (apt-get install libjemalloc2); jemalloc half skipped");
        assertThat(probe(JEMALLOC.toString())).isEqualTo("jemalloc false");
    }
}
