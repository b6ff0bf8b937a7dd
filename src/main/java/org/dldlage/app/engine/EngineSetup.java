package org.dldlage.app.engine;

import org.dldlage.app.AgeProperties;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * Sets the DJL/PyTorch system properties before the engine loads. Each is only a default: a value
 * given with {@code -D} on the command line wins.
 *
 * <ul>
 *   <li>{@code offline=true} (DJL 0.25's name; newer DJL calls it {@code ai.djl.offline}, set too):
 *       any attempt to download an engine or model fails instead of reaching the network.
 *   <li>{@code DJL_CACHE_DIR}/{@code ENGINE_CACHE_DIR}: where the PyTorch native library from the
 *       Maven artifact is unpacked, {@code ~/.cache/dldl-age/djl} unless set.
 *   <li>{@code ai.djl.pytorch.num_interop_threads=1}: requests run in parallel on our own threads,
 *       so PyTorch's inter-op pool would only oversubscribe the cores.
 *   <li>{@code ai.djl.pytorch.num_threads}: intra-op threads, the number of cores by default
 *       (the property {@code age.engine.threads}, read from the arguments here for the tools' own
 *       {@code main()}s and from Spring's environment by {@link EngineThreads}, or {@code -Dai.djl.pytorch.num_threads=N}).
 *   <li>The environment variable {@code GOMP_SPINCOUNT=20000} (Linux), unless it or {@code OMP_WAIT_POLICY}
 *       is set already: see {@link #OMP_SPIN_COUNT}.
 * </ul>
 */
public final class EngineSetup {

    /**
     * How long PyTorch's OpenMP workers spin after a parallel region before sleeping: about 0.4 ms here,
     * instead of libgomp's default 300,000 spins (several ms). The default kept one of the two cores
     * busy-waiting after every forward pass while the request threads needed it; with 20,000 a lone
     * request took about 1 ms less (docs/benchmarks.md, session 3), and the spin still spans the gaps
     * between the operators of one forward pass ({@code OMP_WAIT_POLICY=PASSIVE} did not: slower).
     */
    public static final String OMP_SPIN_COUNT = "20000";

    /** The intra-op thread count's one property (bound in {@link AgeProperties.Engine}, applied here). */
    public static final String THREADS_PROPERTY = "age.engine.threads";

    private EngineSetup() {}

    /** Applies {@code age.engine.threads} (null: leave the default, the number of cores). */
    static void threads(String threads) {
        if (threads != null && !threads.isBlank()) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.trim());
        }
    }

    public static void configure(String[] args) {
        setDefault("offline", "true");
        setDefault("ai.djl.offline", "true");
        setDefault("OPT_OUT_TRACKING", "true");
        String cache = Path.of(System.getProperty("user.home"), ".cache", "dldl-age", "djl").toString();
        setDefault("DJL_CACHE_DIR", cache);
        setDefault("ENGINE_CACHE_DIR", System.getProperty("DJL_CACHE_DIR"));
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        threads(argument(args, "--" + THREADS_PROPERTY + "="));
        setDefault("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        if (System.getenv("GOMP_SPINCOUNT") == null && System.getenv("OMP_WAIT_POLICY") == null) {
            setNativeEnvironment("GOMP_SPINCOUNT", OMP_SPIN_COUNT);
        }
    }

    /** libgomp reads its settings from the C environment when PyTorch's libraries load, so it is set there. */
    private static void setNativeEnvironment(String name, String value) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return; // other platforms' PyTorch builds use another OpenMP runtime
        }
        try {
            Native.load("c", LibC.class).setenv(name, value, 0);
        } catch (LinkageError e) {
            // no C library to call: PyTorch keeps libgomp's default, slower but correct
        }
    }

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String argument(String[] args, String prefix) {
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return a.substring(prefix.length());
            }
        }
        return null;
    }
}
