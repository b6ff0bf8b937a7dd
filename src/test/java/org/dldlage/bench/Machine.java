package org.dldlage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the machine is and how busy it is, from lscpu and /proc (Linux). */
final class Machine {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private Machine() {}

    static String lscpu() {
        return run("lscpu");
    }

    static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal:");
    }

    /** The 1-, 5- and 15-minute load averages. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static double loadAverage1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Busy (non-idle, non-iowait) CPU seconds of the whole machine since boot, all cores. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime + stime of a process, seconds. */
    static double processCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+"); // f[0] is field 3 (state)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static String describe() {
        String model = field(lscpu(), "Model name:");
        String family = field(lscpu(), "CPU family:");
        String cores = field(lscpu(), "CPU(s):");
        boolean avx512 = lscpu().contains("avx512f");
        String mem = memTotal();
        String gib = mem.endsWith("kB") ? String.format(Locale.ROOT, "%.1f GiB RAM", Long.parseLong(mem.replace("kB", "").trim()) / 1048576.0)
                : mem;
        return String.format(Locale.ROOT, "%s (family %s), %s cores, %s, %s; %s", model, family, cores,
                avx512 ? "AVX-512" : "no AVX-512", gib, System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    static String field(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length()).trim()).findFirst().orElse("?");
    }

    private static String procLine(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length()).trim()).findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(" + String.join(" ", command) + " failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
