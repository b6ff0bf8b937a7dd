package org.dldlage.face.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfliteWeightsTest {

    @Test
    void readsTheOnetWeightsByName() throws IOException {
        TfliteWeights w = TfliteWeights.read(Mtcnn.defaultDir().resolve("onet.tflite"));
        assertArrayEquals(new int[] {32, 3, 3, 3}, w.require("onet/conv1/weights/read").shape());
        assertArrayEquals(new int[] {256, 1152}, w.require("onet/conv5/weights/read/transpose").shape());
        float[] alpha = w.require("onet/prelu5/alpha/read", 256).values();
        assertTrue(java.util.stream.IntStream.range(0, alpha.length).anyMatch(i -> alpha[i] != 0));
        assertThrows(IllegalArgumentException.class, () -> w.require("onet/conv1/weights/read", 1, 2));
        assertThrows(IllegalArgumentException.class, () -> w.require("no/such/tensor"));
    }

    @Test
    void refusesAFileThatIsNotTflite(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.tflite");
        Files.write(f, "definitely not a flatbuffer".getBytes());
        IOException e = assertThrows(IOException.class, () -> TfliteWeights.read(f));
        assertTrue(e.getMessage().contains("not a TFLite model"), e.getMessage());
    }

    @Test
    void aMissingWeightsFolderSaysWhereToPutThem(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> Mtcnn.load(dir, null, Mtcnn.DEFAULT_MAX_PYRAMID_SIDE));
        assertTrue(e.getMessage().contains("pnet.tflite") && e.getMessage().contains("fetch-mtcnn"), e.getMessage());
    }
}
