package org.dldlage.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds the Dockerfile (cpu variant) and calls {@code POST /v1/age} in the container, which runs as
 * the image says: non-root, read-only root filesystem with only /tmp writable (so start-up must not
 * unpack anything), readiness from the image's own HEALTHCHECK script. Skipped, with the reason, where
 * no Docker engine answers (this project's development machines and CI have only the client).
 */
class DockerImageIT {

    static GenericContainer<?> container;
    static boolean docker;

    @BeforeAll
    static void probeDocker() {
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
    }

    /** In each test, so the report lists the test as skipped with this reason (not an empty class). */
    private static void buildAndStart() {
        assumeTrue(docker, "no Docker engine reachable (DOCKER_HOST or /var/run/docker.sock): the image is not "
                + "built or run here; test skipped");
        if (container != null) {
            return;
        }
        ImageFromDockerfile image = new ImageFromDockerfile("dldl-age-it:cpu", true)
                .withDockerfile(OpsFiles.ROOT.resolve("Dockerfile")).withBuildArg("VARIANT", "cpu");
        container = new GenericContainer<>(image).withExposedPorts(8080)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true))
                .withTmpFs(java.util.Map.of("/tmp", "rw"))
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        container.start();
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void estimatesAnAgeInTheContainer() throws Exception {
        buildAndStart();
        String url = "http://" + container.getHost() + ":" + container.getMappedPort(8080);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/v1/age"))
                .header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SharedData.utkfaceCrops(1).get(0))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode face = new ObjectMapper().readTree(r.body()).path("faces").get(0);
        assertThat(face.path("age").asDouble()).isBetween(0.0, 100.0);
        // the image's HEALTHCHECK uses the same readiness group and says healthy
        assertThat(container.execInContainer("healthcheck").getExitCode()).isZero();
        assertThat(container.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
    }
}
