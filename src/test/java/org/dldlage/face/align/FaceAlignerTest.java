package org.dldlage.face.align;

import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.detect.Face;
import org.dldlage.face.FaceTestData;
import org.dldlage.face.ImageOps;
import org.dldlage.face.detect.Mtcnn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {

    @Test
    void leastSquaresRecoversAKnownSimilarity() {
        FaceAligner.Similarity t = new FaceAligner.Similarity(0.8 * Math.cos(0.3), 0.8 * Math.sin(0.3), 12, -7);
        double[][] src = {{10, 20}, {50, 18}, {30, 40}, {15, 60}, {48, 62}};
        double[][] dst = new double[5][];
        for (int i = 0; i < 5; i++) {
            dst[i] = t.apply(src[i]);
        }
        FaceAligner.Similarity e = FaceAligner.estimate(src, dst);
        assertEquals(t.a(), e.a(), 1e-9);
        assertEquals(t.b(), e.b(), 1e-9);
        assertEquals(t.tx(), e.tx(), 1e-9);
        assertEquals(t.ty(), e.ty(), 1e-9);
        assertEquals(17.19, e.rotationDegrees(), 0.01);
        double[] back = e.inverse().apply(e.apply(src[3]));
        assertArrayEquals(src[3], back, 1e-9);
        // a mirror image cannot be reached without reflection: the fit stays a rotation (det > 0)
        double[][] mirrored = new double[5][];
        for (int i = 0; i < 5; i++) {
            mirrored[i] = new double[] {-src[i][0], src[i][1]};
        }
        FaceAligner.Similarity m = FaceAligner.estimate(src, mirrored);
        assertTrue(m.a() * m.a() + m.b() * m.b() > 0);
        assertTrue(m.scale() < 0.9, "a reflection is fitted badly, not reproduced: scale " + m.scale());
    }

    @Test
    void aFaceRotatedByThirtyDegreesComesOutUpright() throws Exception {
        Path p = FaceTestData.fgnetSample(3, 41).get(2);
        BufferedImage original = FaceTestData.read(p);
        BufferedImage rotated = FaceTestData.rotate(original, 30);
        Mtcnn mtcnn = FaceTestData.mtcnn();
        double tilt = FaceTestData.eyeAngleDegrees(mtcnn.detect(original, 20).get(0).landmarks());
        Face face = mtcnn.detect(rotated, FaceDetector.DEFAULT_MIN_FACE_SIZE).get(0);
        assertEquals(tilt + 30, FaceTestData.eyeAngleDegrees(face.landmarks()), 4, "the detector sees the turn");

        int size = 160;
        FaceAligner aligner = new FaceAligner(FaceAligner.UTKFACE_TEMPLATE);
        FaceAligner.Similarity t = aligner.transform(face, size);
        double[][] warped = new double[5][];
        for (int i = 0; i < 5; i++) {
            warped[i] = t.apply(face.landmarks()[i]);
        }
        assertEquals(0, FaceTestData.eyeAngleDegrees(warped), 2, "warped landmarks are level");
        assertEquals(FaceAligner.UTKFACE_TEMPLATE[0][0] * size, warped[0][0], 0.05 * size);

        // independent check: detect again in the aligned crop itself
        BufferedImage aligned = FaceAligner.toImage(aligner.align(rotated, face, size), size);
        List<Face> again = mtcnn.detect(aligned, FaceDetector.DEFAULT_MIN_FACE_SIZE);
        assertFalse(again.isEmpty(), "the aligned crop still shows a face");
        assertEquals(0, FaceTestData.eyeAngleDegrees(again.get(0).landmarks()), 4, "eyes level after alignment");
        double[] leftEye = again.get(0).landmarks()[0];
        assertEquals(FaceAligner.UTKFACE_TEMPLATE[0][0] * size, leftEye[0], 0.06 * size);
        assertEquals(FaceAligner.UTKFACE_TEMPLATE[0][1] * size, leftEye[1], 0.06 * size);
    }

    @Test
    void croppersGiveOneCropPerFaceInEachMode() throws Exception {
        Path p = FaceTestData.fgnetSample(1, 1).get(0);
        BufferedImage img = FaceTestData.read(p);
        Mtcnn mtcnn = FaceTestData.mtcnn();
        int size = 112;
        java.util.Map<Align, FaceCropper.Crop> byMode = new java.util.EnumMap<>(Align.class);
        for (Align mode : Align.values()) {
            Framing framing = new Framing(mode, size, null, FaceAligner.DEFAULT_BOX_MARGIN);
            List<FaceCropper.Crop> crops = new FaceCropper(mtcnn, framing, FaceDetector.DEFAULT_MIN_FACE_SIZE).crops(img, 1);
            assertEquals(1, crops.size(), mode.id());
            assertEquals(size * size * 3, crops.get(0).rgb().length, mode.id());
            byMode.put(mode, crops.get(0));
        }
        // none with a detector: the image's own face (it fills the photo) found again and warped as mtcnn does
        assertNotNull(byMode.get(Align.NONE).face());
        assertArrayEquals(byMode.get(Align.MTCNN).rgb(), byMode.get(Align.NONE).rgb());
        // none without one: the image as sent, resized
        FaceCropper.Crop asSent = new FaceCropper(null, new Framing(Align.NONE, size, null, FaceAligner.DEFAULT_BOX_MARGIN),
                FaceDetector.DEFAULT_MIN_FACE_SIZE).crops(img, 1).get(0);
        assertNull(asSent.face());
        assertArrayEquals(ImageOps.resizeCentreCrop(img, size), asSent.rgb());
        // a face much smaller than the crop is someone in the background: not the crop's own face
        Face own = byMode.get(Align.MTCNN).face();
        assertNull(FaceCropper.ownFace(own, (int) (own.width() * 5), (int) (own.height() * 5)));
        assertNotNull(FaceCropper.ownFace(own, (int) (own.width() * 2), (int) (own.height() * 2)));
        // box mode: the box's centre lands on the crop's centre and the face fills it
        Face f = mtcnn.detect(img, 20).get(0);
        BufferedImage box = FaceAligner.toImage(FaceAligner.box(img, f, size, 0.0), size);
        Face inBox = mtcnn.detect(box, 20).get(0);
        assertEquals(size / 2.0, inBox.x() + inBox.width() / 2, 0.1 * size);
        assertTrue(inBox.width() > 0.6 * size, "face fills the box crop: " + inBox.width());
        assertEquals(Align.BOX, Align.parse(" Box "));
        assertThrows(IllegalArgumentException.class, () -> Align.parse("affine"));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceCropper(null, new Framing(Align.MTCNN, size, null, 0), FaceDetector.DEFAULT_MIN_FACE_SIZE));
        assertThrows(IllegalArgumentException.class, () -> new Framing(Align.BOX, size, null, 0).crop(img, null));
    }

    @Test
    void theTemplateIsDerivedFromTrainingCrops() throws Exception {
        TemplateDerivation.Result r = TemplateDerivation.derive(FaceTestData.mtcnn(), FaceTestData.utkface(), 30, 7);
        assertTrue(r.used() >= 27, "faces in " + r.used() + " of 30 UTKFace crops");
        double[][] t = r.template();
        for (int i = 0; i < 5; i++) {
            // 30 crops land close to the 2,000-crop constant (per-point spread is ~0.02-0.03)
            assertEquals(FaceAligner.UTKFACE_TEMPLATE[i][0], t[i][0], 0.03, Face.LANDMARK_NAMES[i] + " x");
            assertEquals(FaceAligner.UTKFACE_TEMPLATE[i][1], t[i][1], 0.03, Face.LANDMARK_NAMES[i] + " y");
        }
        assertTrue(t[0][0] < t[1][0] && t[3][0] < t[4][0] && t[0][1] < t[2][1] && t[2][1] < t[3][1]);
    }
}
