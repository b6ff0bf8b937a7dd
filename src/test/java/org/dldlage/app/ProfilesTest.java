package org.dldlage.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.dldlage.DldlAgeApplication;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.registry.ModelRuntime;
import org.dldlage.model.net.Architecture;
import org.dldlage.support.SmallSplits;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The trainer and evaluate profiles get none of the service: no model runtime, no batching worker. */
class ProfilesTest {

    @TempDir
    Path tmp;

    @Test
    void theTrainerAndEvaluateProfilesStartNoServiceBeans() throws IOException {
        Path data = SmallSplits.write(tmp.resolve("data"), 16, 8, 8);
        Path model = tmp.resolve("model");
        TestBundles.write(model, Architecture.TINY, 32, 1);
        String[][] runs = {
            {"trainer", "--train.data=" + data, "--train.input-size=32", "--train.epochs=1", "--train.output=" + tmp.resolve("out")},
            {"evaluate", "--eval.model=" + model, "--eval.data=" + data, "--eval.split=test"}
        };
        for (String[] run : runs) {
            String profile = run[0];
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(run).subList(1, run.length));
            // a bundle that does not exist: the service would refuse to start with it
            args.add("--age.model.path=no-such-bundle");
            args.add("--server.port=0");
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DldlAgeApplication.class)
                    .web(WebApplicationType.SERVLET).profiles(profile).run(args.toArray(String[]::new))) {
                assertThat(context.getBeanNamesForType(ModelRuntime.class)).as(profile).isEmpty();
                assertThat(context.getBeanNamesForType(AgeService.class)).as(profile).isEmpty();
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("batcher-"));
            }
        }
    }
}
