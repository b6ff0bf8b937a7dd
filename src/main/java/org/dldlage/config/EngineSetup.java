package org.dldlage.config;

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
 *       ({@code --age.engine.threads=N} or {@code -Dai.djl.pytorch.num_threads=N} to change).
 * </ul>
 */
public final class EngineSetup {

    private EngineSetup() {}

    public static void configure(String[] args) {
        setDefault("offline", "true");
        setDefault("ai.djl.offline", "true");
        setDefault("OPT_OUT_TRACKING", "true");
        String cache = Path.of(System.getProperty("user.home"), ".cache", "dldl-age", "djl").toString();
        setDefault("DJL_CACHE_DIR", cache);
        setDefault("ENGINE_CACHE_DIR", System.getProperty("DJL_CACHE_DIR"));
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        String threads = argument(args, "--age.engine.threads=");
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads);
        }
        setDefault("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
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
