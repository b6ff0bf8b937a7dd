package org.dldlage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName())).redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD");
        if (preload != null) {
            pb.environment().put("LD_PRELOAD", preload);
        }
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void glibcIsReportedWithAWarningAndPreloadedJemallocWithout() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "not Linux: the allocator cannot be read; test skipped");
        assertThat(probe(null)).isEqualTo("glibc true");
        assumeTrue(Files.isRegularFile(JEMALLOC), "libjemalloc2 is not installed (apt-get install libjemalloc2); jemalloc half skipped");
        assertThat(probe(JEMALLOC.toString())).isEqualTo("jemalloc false");
    }
}
