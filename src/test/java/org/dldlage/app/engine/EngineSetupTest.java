package org.dldlage.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.List;
import java.util.Map;
import org.dldlage.support.ChildJvm;
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
        String out = ChildJvm.run(Probe.class, List.of("GOMP_SPINCOUNT", "OMP_WAIT_POLICY"), env);
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
