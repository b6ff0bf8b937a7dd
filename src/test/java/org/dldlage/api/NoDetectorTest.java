package org.dldlage.api;

import java.io.IOException;
import java.nio.file.Files;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With detection switched off, only {@code align=none} is served; the others are 422, not 500. */
@TestPropertySource(properties = "age.detection.enabled=false")
class NoDetectorTest extends ServiceTestSupport {

    @Test
    void detectionWithoutADetectorIs422() throws IOException {
        byte[] face = Files.readAllBytes(SharedData.firstUtkfaceCrop());
        AgeEndpointTest.assertProblem(http.upload("/v1/age", face, "image/jpeg"), 422, "align-unavailable");
        AgeEndpointTest.assertProblem(http.upload("/v1/age?align=box", face, "image/jpeg"), 422, "align-unavailable");
    }
}
