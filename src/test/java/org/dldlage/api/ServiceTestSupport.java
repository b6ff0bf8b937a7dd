package org.dldlage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dldlage.support.Http;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service on a random port with a real (randomly initialised) TinyAgeNet bundle at 64×64 and a
 * 200 KB upload limit. Subclasses share one application context.
 */
@AutoConfigureObservability // Boot's tests switch metrics export off unless asked
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu",
    "age.limits.max-image-size=200KB",
    "age.batching.max-delay=10ms"
})
abstract class ServiceTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    private static Path bundle;

    @LocalServerPort
    int port;

    Http http;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        registry.add("age.model.path", () -> bundle().toString());
    }

    static synchronized Path bundle() {
        if (bundle == null) {
            try {
                bundle = TestBundles.write(Files.createTempDirectory("dldl-age-service").resolve("tiny-test"), "TinyAgeNet", 64);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundle;
    }

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
