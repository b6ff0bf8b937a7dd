package org.dldlage.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a fresh JVM, for settings a JVM reads only once (environment, preloads). */
public final class ChildJvm {

    private ChildJvm() {}

    /**
     * @param unset environment variables removed before {@code env} is applied
     * @return standard output and error together
     */
    public static String run(Class<?> main, List<String> unset, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), main.getName())).redirectErrorStream(true);
        unset.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        return out;
    }
}
