package org.dldlage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code java -jar target/dldl-age.jar}) as a separate process on loopback,
 * with native memory tracking on so that its heap and native memory can be told apart. Always
 * {@link #close() closed} (SIGTERM, then SIGKILL after 30 s).
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    final List<String> command;
    final double startSeconds;

    private ServiceProcess(Process process, int port, Path log, List<String> command, double startSeconds) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.command = command;
        this.startSeconds = startSeconds;
    }

    /** Starts the jar and waits (at most 3 minutes) until readiness is UP. */
    static ServiceProcess start(Path jar, int port, List<String> serviceArgs, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:NativeMemoryTracking=summary", "-jar", jar.toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--age.device=cpu", "--age.models.watch.enabled=false",
                // align=none rows measure the batched network path on crops, without detection, as docs/benchmarks.md always has
                "--age.detection.refind-in-crops=false"));
        cmd.addAll(serviceArgs);
        Files.createDirectories(log.getParent());
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        ServiceProcess s = new ServiceProcess(p, port, log, cmd, 0);
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the service exited with " + p.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(s.base() + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return new ServiceProcess(p, port, log, cmd, (System.nanoTime() - t0) / 1e9);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        s.close();
        throw new IllegalStateException("the service did not become ready within 3 minutes; see " + log);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** VmRSS of the service process, bytes. */
    long rss() {
        return status("VmRSS:");
    }

    /** Threads of the service process. */
    long threads() {
        return status("Threads:");
    }

    private long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(key)) {
                    long v = Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                    return key.equals("VmRSS:") ? v * 1024 : v;
                }
            }
        } catch (IOException e) {
            // exited
        }
        return -1;
    }

    /** User + system CPU time of the service process, seconds (from /proc/PID/stat, clock ticks of 1/100 s). */
    double cpuSeconds() {
        return Machine.processCpuSeconds(pid());
    }

    /** Output of {@code jcmd PID COMMAND} (bounded to 60 s). */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid())));
        cmd.addAll(List.of(command));
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = j.getInputStream().readAllBytes();
        if (!j.waitFor(60, TimeUnit.SECONDS)) {
            j.destroyForcibly();
        }
        return new String(out);
    }

    /** Heap and native memory of the service now, from the JVM's own accounting. */
    Memory memory() throws IOException, InterruptedException {
        long rss = rss();
        String nmt = jcmd("VM.native_memory", "summary");
        long jvmCommitted = kb(nmt, "Total: reserved=\\d+KB, committed=(\\d+)KB");
        long heapCommitted = kb(nmt, "Java Heap \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
        String heap = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
        long heapUsed = m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
        return new Memory(rss, heapUsed, heapCommitted, jvmCommitted, threads());
    }

    private static long kb(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /**
     * @param rss resident set of the process
     * @param heapUsed live + not yet collected Java objects
     * @param heapCommitted heap the JVM has committed
     * @param jvmCommitted everything the JVM itself accounts for (heap, metaspace, code, thread stacks, GC, direct buffers)
     */
    record Memory(long rss, long heapUsed, long heapCommitted, long jvmCommitted, long threads) {
        /** Resident memory the JVM does not account for: PyTorch's allocator, libtorch, libc arenas (approximate). */
        long outsideJvm() {
            return rss - Math.min(rss, jvmCommitted);
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: graceful shutdown
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
