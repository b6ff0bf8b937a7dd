package org.dldlage.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.dldlage.DldlAgeApplication;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.ModelRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The trainer and evaluate profiles get none of the service: no model runtime, no batching worker. */
class ProfilesTest {

    @Test
    void theTrainerAndEvaluateProfilesStartNoServiceBeans() {
        for (String profile : new String[] {"trainer", "evaluate"}) {
            for (WebApplicationType type : new WebApplicationType[] {WebApplicationType.NONE, WebApplicationType.SERVLET}) {
                try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DldlAgeApplication.class)
                        .web(type).profiles(profile)
                        // a bundle that does not exist: the service would refuse to start with it
                        .run("--server.port=0", "--age.model.path=no-such-bundle")) {
                    assertThat(context.getBeanNamesForType(ModelRuntime.class)).as(profile + " " + type).isEmpty();
                    assertThat(context.getBeanNamesForType(AgeService.class)).as(profile + " " + type).isEmpty();
                    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("batcher-"));
                }
            }
        }
    }
}
