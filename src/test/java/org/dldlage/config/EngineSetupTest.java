package org.dldlage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** libgomp's spin count reaches the C environment before PyTorch loads, unless the user chose one; checked in child JVMs. */
class EngineSetupTest {

    private interface LibC extends Library {
        String getenv(String name);
    }

    /** Configures the engine as the service does, loads PyTorch, and prints what libgomp saw in the environment. */
    public static final class Probe {
        public static void main(String[] args) {
            EngineSetup.configure(args);
            ai.djl.engine.Engine.getEngine("PyTorch");
            System.out.println("GOMP_SPINCOUNT=" + Native.load("c", LibC.class).getenv("GOMP_SPINCOUNT"));
        }
    }

    private static String probe(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName())).redirectErrorStream(true);
        pb.environment().remove("GOMP_SPINCOUNT");
        pb.environment().remove("OMP_WAIT_POLICY");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        return out.lines().filter(l -> l.startsWith("GOMP_SPINCOUNT=")).findFirst().orElse(out);
    }

    @Test
    void theSpinCountIsSetUnlessTheEnvironmentChoseOne() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "not Linux: PyTorch does not use libgomp; skipped");
        assertThat(probe(Map.of())).isEqualTo("GOMP_SPINCOUNT=" + EngineSetup.OMP_SPIN_COUNT);
        assertThat(probe(Map.of("GOMP_SPINCOUNT", "123"))).isEqualTo("GOMP_SPINCOUNT=123");
        assertThat(probe(Map.of("OMP_WAIT_POLICY", "PASSIVE"))).isEqualTo("GOMP_SPINCOUNT=null");
    }
}
