package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.dldlage.inference.Estimation;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/age/explain}: the age score map as JSON and as a PNG overlay, over real HTTP. */
class ExplainEndpointTest extends ServiceTestSupport {

    @Test
    void jsonGivesTheUsualFieldsPlusTheMapAndAnOverlay() throws IOException {
        byte[] face = Files.readAllBytes(SharedData.firstUtkfaceCrop());
        HttpResponse<String> r = http.raw("/v1/age/explain?align=none", face, "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode f = json(r.body()).get("faces").get(0);
        assertThat(f.get("age").asDouble()).isBetween(0.0, 100.0);
        assertThat(f.get("distribution").get("probabilities")).hasSize(101);
        JsonNode map = f.get("explanation").get("map");
        // a 64-pixel model: 64 / 32 = 2 rows and columns after hybrid pooling
        assertThat(map).hasSize(2);
        assertThat(map.get(0)).hasSize(2);
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (JsonNode row : map) {
            for (JsonNode v : row) {
                min = Math.min(min, v.asDouble());
                max = Math.max(max, v.asDouble());
            }
        }
        assertThat(max - min).as("S is not constant over a real face").isPositive();
        BufferedImage overlay = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(f.get("explanation").get("overlayPng").asText())));
        assertThat(overlay.getHeight()).isGreaterThanOrEqualTo(Estimation.Explanation.DISPLAY);
        // /v1/age gives no explanation
        assertThat(json(http.raw("/v1/age?align=none", face, "image/jpeg").body()).get("faces").get(0).has("explanation")).isFalse();
    }

    @Test
    void pngAcceptGivesTheFirstFacesOverlay() throws IOException {
        byte[] photo = Files.readAllBytes(SharedData.fgnet().resolve("images").resolve("001A02.JPG"));
        HttpResponse<byte[]> r = http.rawBytes("/v1/age/explain", photo, "image/jpeg", "image/png");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(png.getWidth()).isGreaterThan(Estimation.Explanation.DISPLAY);
    }

    @Test
    void noFaceAsPngIs422AndTheUsualErrorsApply() throws IOException {
        BufferedImage grey = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        HttpResponse<byte[]> r = http.rawBytes("/v1/age/explain", png.toByteArray(), "image/png", "image/png");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"code\":\"no-face\"");
        assertThat(json(http.raw("/v1/age/explain", png.toByteArray(), "image/png").body()).get("faces")).isEmpty();
        AgeEndpointTest.assertProblem(http.raw("/v1/age/explain?align=none", "junk".getBytes(), "image/jpeg"), 400, "image-unreadable");
        AgeEndpointTest.assertProblem(http.raw("/v1/age/explain?maxFaces=0", "x".getBytes(), "image/jpeg"), 422, "invalid-parameter");
    }
}
