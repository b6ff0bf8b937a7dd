package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.zip.CRC32;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/age} and {@code GET /v1/models} over real HTTP, with real UTKFace crops. */
class AgeEndpointTest extends ServiceTestSupport {

    private static byte[] face() throws IOException {
        return Files.readAllBytes(SharedData.firstUtkfaceCrop());
    }

    @Test
    void aFaceCropGivesOneFaceWithAnAgeItsDistributionAndInterval() throws IOException {
        HttpResponse<String> r = http.upload("/v1/age?align=none", face(), "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r.body());
        assertThat(body.get("faces")).hasSize(1);
        JsonNode f = body.get("faces").get(0);
        // this test bundle was trained on crops as they come: the crop is taken as sent, not searched
        assertThat(f.get("alignment").asText()).isEqualTo("none");
        assertThat(f.get("detectionScore")).isNull();
        double age = f.get("age").asDouble();
        assertThat(age).isBetween(0.0, 100.0);
        assertThat(f.get("ageStd").asDouble()).isPositive();
        JsonNode interval = f.get("ageInterval");
        assertThat(interval.get("level").asDouble()).isEqualTo(0.8);
        assertThat(interval.get("lower").asDouble()).isLessThanOrEqualTo(age);
        assertThat(interval.get("upper").asDouble()).isGreaterThanOrEqualTo(age);
        JsonNode p = f.get("distribution").get("probabilities");
        assertThat(p).hasSize(101);
        double sum = 0;
        double expectation = 0;
        for (int k = 0; k < p.size(); k++) {
            sum += p.get(k).asDouble();
            expectation += p.get(k).asDouble() * (f.get("distribution").get("start").asDouble() + k * f.get("distribution").get("step").asDouble());
        }
        assertThat(sum).isCloseTo(1.0, within(1e-4));
        assertThat(age).as("age is the expectation of p̂").isCloseTo(expectation, within(0.01));
        assertThat(f.get("probabilityUnder18").asDouble()).isBetween(0.0, 1.0);
        assertThat(f.get("box").get("width").asDouble()).isEqualTo(200.0);
        assertThat(f.has("landmarks")).as("no landmarks without detection").isFalse();
        assertThat(body.get("model").get("architecture").asText()).isEqualTo("TinyAgeNet");
        assertThat(body.get("model").get("inputSize").asInt()).isEqualTo(64);
        assertThat(body.get("model").get("labelStep").asDouble()).isEqualTo(1.0);
        JsonNode t = body.get("timings");
        assertThat(t.get("batchSize").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(t.get("totalMs").asDouble()).isGreaterThanOrEqualTo(t.get("inferenceMs").asDouble());
        for (String stage : new String[] {"decodeMs", "detectMs", "alignMs", "queueMs", "inferenceMs"}) {
            assertThat(t.has(stage)).as(stage).isTrue();
        }
    }

    @Test
    void theRawBodyWithAnImageContentTypeWorksLikeAnUploadAndDistributionCanBeLeftOut() throws IOException {
        HttpResponse<String> r = http.raw("/v1/age?align=none&distribution=false&flip=false", face(), "image/jpeg");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // sent whole, not chunked: the client knows the length (RequestMetricsFilter)
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().getBytes(StandardCharsets.UTF_8).length);
        JsonNode f = json(r.body()).get("faces").get(0);
        assertThat(f.has("distribution")).isFalse();
        assertThat(f.get("age").asDouble()).isBetween(0.0, 100.0);
    }

    @Test
    void mirrorAveragingChangesTheAnswerOfARandomNetwork() throws IOException {
        double flipped = json(http.upload("/v1/age?align=none&flip=true", face(), "image/jpeg").body())
                .get("faces").get(0).get("age").asDouble();
        double plain = json(http.upload("/v1/age?align=none&flip=false", face(), "image/jpeg").body())
                .get("faces").get(0).get("age").asDouble();
        double again = json(http.upload("/v1/age?align=none&flip=false", face(), "image/jpeg").body())
                .get("faces").get(0).get("age").asDouble();
        assertThat(plain).as("deterministic").isEqualTo(again);
        assertThat(flipped).isNotEqualTo(plain);
    }

    @Test
    void corruptBytesAre400() throws IOException {
        byte[] face = face();
        byte[] broken = java.util.Arrays.copyOf(face, 600); // a JPEG header, then nothing
        assertProblem(http.upload("/v1/age?align=none", "not an image at all".getBytes(), "image/jpeg"), 400, "image-unreadable");
        assertProblem(http.upload("/v1/age?align=none", broken, "image/jpeg"), 400, "image-unreadable");
    }

    @Test
    void aMissingOrEmptyImageIs400() {
        assertProblem(http.upload("/v1/age?align=none", new byte[0], "image/jpeg"), 400, "image-missing");
        assertProblem(http.raw("/v1/age?align=none", new byte[0], "image/png"), 400, "image-missing");
    }

    @Test
    void textPlainIs415() {
        assertProblem(http.raw("/v1/age", "hello".getBytes(), "text/plain"), 415, "unsupported-media-type");
    }

    @Test
    void aTiffIsAnUnsupportedFormat() {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0};
        assertProblem(http.raw("/v1/age?align=none", tiff, "image/jpeg"), 415, "unsupported-image-format");
    }

    @Test
    void overTheByteLimitIs413() {
        byte[] big = new byte[300 * 1024]; // the test limit is 200 KB
        assertProblem(http.upload("/v1/age?align=none", big, "image/jpeg"), 413, "image-too-large");
        assertProblem(http.raw("/v1/age?align=none", big, "image/jpeg"), 413, "image-too-large");
    }

    @Test
    void aHeaderClaimingTenGigapixelsIs413WithoutDecoding() {
        HttpResponse<String> r = http.raw("/v1/age?align=none", pngHeader(100_000, 100_000), "image/png");
        assertProblem(r, 413, "too-many-pixels");
        assertThat(json(r.body()).get("detail").asText()).contains("100000x100000");
    }

    @Test
    void invalidOptionsAre422() {
        byte[] any = new byte[] {1, 2, 3};
        assertProblem(http.raw("/v1/age?align=none&maxFaces=0", any, "image/jpeg"), 422, "invalid-parameter");
        assertProblem(http.raw("/v1/age?align=none&maxFaces=101", any, "image/jpeg"), 422, "invalid-parameter");
        assertProblem(http.raw("/v1/age?align=sideways", any, "image/jpeg"), 422, "invalid-parameter");
        assertProblem(http.raw("/v1/age?align=none&maxFaces=lots", any, "image/jpeg"), 422, "invalid-parameter");
        HttpResponse<String> notBoolean = http.raw("/v1/age?align=none&flip=maybe", any, "image/jpeg");
        assertProblem(notBoolean, 422, "invalid-parameter");
        assertThat(notBoolean.body()).contains("flip: 'maybe' is not a valid value");
        assertProblem(http.raw("/v1/age?align=none&minFaceSize=2", any, "image/jpeg"), 422, "invalid-parameter");
    }

    @Test
    void anFgnetPhotoWithMtcnnGivesOneFaceWithLandmarksInsideItsBox() throws IOException {
        byte[] photo = Files.readAllBytes(SharedData.fgnet().resolve("images").resolve("001A02.JPG"));
        HttpResponse<String> r = http.upload("/v1/age", photo, "image/jpeg"); // default align=mtcnn
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode faces = json(r.body()).get("faces");
        assertThat(faces).hasSize(1);
        JsonNode f = faces.get(0);
        assertThat(f.get("detectionScore").asDouble()).isGreaterThan(0.7);
        assertThat(f.get("alignment").asText()).isEqualTo("mtcnn");
        JsonNode box = f.get("box");
        for (String name : new String[] {"leftEye", "rightEye", "nose", "mouthLeft", "mouthRight"}) {
            JsonNode p = f.get("landmarks").get(name);
            assertThat(p.get("x").asDouble()).as(name).isBetween(box.get("x").asDouble(), box.get("x").asDouble() + box.get("width").asDouble());
            assertThat(p.get("y").asDouble()).as(name).isBetween(box.get("y").asDouble(), box.get("y").asDouble() + box.get("height").asDouble());
        }
        double age = f.get("age").asDouble();
        assertThat(f.get("ageInterval").get("lower").asDouble()).isLessThanOrEqualTo(age);
        assertThat(f.get("ageInterval").get("upper").asDouble()).isGreaterThanOrEqualTo(age);
        assertThat(json(r.body()).get("timings").get("detectMs").asDouble()).isPositive();
        // box mode answers for the same face, without rotation
        assertThat(json(http.upload("/v1/age?align=box", photo, "image/jpeg").body()).get("faces")).hasSize(1);
    }

    @Test
    void aPhotoWithoutAFaceGivesNoFaces() throws IOException {
        java.awt.image.BufferedImage gradient = new java.awt.image.BufferedImage(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                gradient.setRGB(x, y, (x * 255 / 320) << 16 | (y * 255 / 240) << 8 | 128);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(gradient, "png", png);
        HttpResponse<String> r = http.upload("/v1/age", png.toByteArray(), "image/png");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r.body()).get("faces")).isEmpty();
    }

    @Test
    void modelsListsTheLoadedManifest() {
        HttpResponse<String> r = http.get("/v1/models");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = json(r.body()).get("models").get(0);
        assertThat(m.get("device").asText()).isEqualTo("cpu");
        assertThat(m.get("manifest").get("architecture").asText()).isEqualTo("TinyAgeNet");
        assertThat(m.get("manifest").get("inputSize").asInt()).isEqualTo(64);
        assertThat(m.get("manifest").get("parameters").get("trainableCount").asLong()).isPositive();
        assertThat(m.get("manifest").get("training").get("licence").asText()).isEqualTo("none");
        // the batch size measured when the model loaded, at most the configured 32
        JsonNode batching = m.get("batching");
        assertThat(batching.get("maxBatchSize").asInt()).isBetween(1, 32);
        assertThat(batching.get("measuredSizes").get(0).asInt()).isEqualTo(1);
        assertThat(batching.get("msPerFace").get(0).asDouble()).isPositive();
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode p = json(r.body());
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).endsWith(code);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** A PNG signature and IHDR chunk (valid CRC) claiming width × height, with no pixel data. */
    static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
