package org.dldlage.inference.registry;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a loaded model costs: its parameter tensors, and the process's resident set size around a load. */
final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /** The process's resident set size in bytes, or -1 where /proc is not available. */
    static long bytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) { // "VmRSS:   123456 kB", whatever the page size
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no measurement
        }
        return -1;
    }

    /** Bytes of every parameter tensor of the block (weights, biases, batch-norm statistics). */
    static long parameterBytes(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            var a = p.getValue().getArray();
            n += a.size() * a.getDataType().getNumOfBytes();
        }
        return n;
    }
}
