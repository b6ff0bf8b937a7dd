package org.dldlage.face.detect;

import org.dldlage.face.FaceTestData;
import org.dldlage.bench.FgnetBenchmark;
import org.dldlage.face.align.FgnetLandmarks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MtcnnTest {

    @Test
    void findsFacesAndEyesOnFgnetPhotos() throws Exception {
        Path dir = FaceTestData.fgnet();
        List<Path> photos = FaceTestData.fgnetSample(20, 50);
        Mtcnn mtcnn = FaceTestData.mtcnn();
        int hits = 0;
        List<Double> errors = new ArrayList<>();
        for (Path p : photos) {
            BufferedImage img = FaceTestData.read(p);
            FgnetLandmarks truth = FgnetLandmarks.forImage(dir, p.getFileName().toString());
            List<Face> faces = mtcnn.detect(img, FaceDetector.DEFAULT_MIN_FACE_SIZE);
            for (int i = 1; i < faces.size(); i++) {
                assertTrue(faces.get(i - 1).area() >= faces.get(i).area(), "largest face first");
            }
            if (faces.isEmpty() || !truth.hit(faces.get(0))) {
                continue;
            }
            hits++;
            Face f = faces.get(0);
            errors.add(truth.eyeError(f));
            assertTrue(f.score() > 0.7 && f.score() <= 1, p + " score " + f.score());
            for (double[] lm : f.landmarks()) {
                assertTrue(lm[0] >= f.x() && lm[0] <= f.x() + f.width() && lm[1] >= f.y()
                        && lm[1] <= f.y() + f.height(), p + ": landmark outside its box");
            }
            assertTrue(f.landmarks()[0][0] < f.landmarks()[1][0], p + ": left eye is left of the right eye");
        }
        assertTrue(hits >= 19, "faces found on " + hits + " of " + photos.size() + " FG-NET photos");
        errors.sort(null);
        double median = errors.get(errors.size() / 2);
        assertTrue(median <= 0.06, "median normalised eye error " + median);
        assertTrue(errors.get(errors.size() - 1) < 0.2, "worst normalised eye error " + errors.get(errors.size() - 1));
    }

    @Test
    void findsNoFaceInAGradient() throws Exception {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int v = (x * 255 / 319);
                int u = (y * 255 / 239);
                img.setRGB(x, y, (v << 16) | (u << 8) | ((v + u) / 2));
            }
        }
        assertEquals(List.of(), FaceTestData.mtcnn().detect(img, FaceDetector.DEFAULT_MIN_FACE_SIZE));
    }

    @Test
    void concurrentCallsGiveTheSameFacesAsOneByOne() throws Exception {
        List<Path> photos = FaceTestData.fgnetSample(4, 97);
        Mtcnn mtcnn = FaceTestData.mtcnn();
        List<BufferedImage> images = new ArrayList<>();
        List<List<Face>> expected = new ArrayList<>();
        for (Path p : photos) {
            BufferedImage img = FaceTestData.read(p);
            images.add(img);
            expected.add(mtcnn.detect(img, FaceDetector.DEFAULT_MIN_FACE_SIZE));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Face>>> got = new ArrayList<>();
            for (BufferedImage img : images) {
                got.add(pool.submit(() -> mtcnn.detect(img, FaceDetector.DEFAULT_MIN_FACE_SIZE)));
            }
            for (int i = 0; i < images.size(); i++) {
                List<Face> a = expected.get(i);
                List<Face> b = got.get(i).get();
                assertEquals(a.size(), b.size());
                for (int k = 0; k < a.size(); k++) {
                    assertEquals(a.get(k).x(), b.get(k).x(), 1e-3);
                    assertEquals(a.get(k).landmarks()[0][0], b.get(k).landmarks()[0][0], 1e-3);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLargePhotoIsFoundWhereTheSmallOneWas() throws Exception {
        Path p = FaceTestData.fgnetSample(1, 1).get(0);
        BufferedImage small = FaceTestData.read(p);
        BufferedImage large = FgnetBenchmark.upscale(small, 4100); // over MAX_WORKING_SIDE: halved first
        Face s = FaceTestData.mtcnn().detect(small, 20).get(0);
        Face l = FaceTestData.mtcnn().detect(large, 20).get(0);
        double k = (double) large.getWidth() / small.getWidth();
        assertEquals(s.x() * k, l.x(), 0.1 * l.width());
        assertEquals(s.landmarks()[0][0] * k, l.landmarks()[0][0], 0.05 * l.width());
        assertEquals(s.landmarks()[1][1] * k, l.landmarks()[1][1], 0.05 * l.width());
    }
}
