package org.dldlage.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dldlage.face.ImageOps;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each step of the authors' augmentation on a real face: shape, range, that it changes the image, determinism. */
class AugmentationTest {

    static final int S = 64;
    static Augmentation.Image face;
    static byte[] faceBytes;

    @BeforeAll
    static void loadRealFace() throws IOException {
        Path images = SharedData.utkface().resolve("images");
        try (Stream<Path> files = Files.list(images).sorted()) {
            Path f = files.findFirst().orElseThrow();
            faceBytes = ImageOps.resizeCentreCrop(ImageIO.read(f.toFile()), S);
            face = Augmentation.Image.of(faceBytes, S, S);
        }
    }

    private static void assertValid(Augmentation.Image img, int w, int h) {
        assertThat(img.width()).isEqualTo(w);
        assertThat(img.height()).isEqualTo(h);
        assertThat(img.rgb()).hasSize(w * h * 3);
        for (float v : img.rgb()) {
            assertThat(v).isBetween(0f, 255f);
        }
    }

    private static double meanAbsDiff(Augmentation.Image a, Augmentation.Image b) {
        double d = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            d += Math.abs(a.rgb()[i] - b.rgb()[i]);
        }
        return d / a.rgb().length;
    }

    @Test
    void flipMirrorsAndIsItsOwnInverse() {
        Augmentation.Image f = Augmentation.flip(face);
        assertValid(f, S, S);
        assertThat(meanAbsDiff(f, face)).isGreaterThan(1);
        assertThat(f.rgb()[0]).isEqualTo(face.rgb()[3 * (S - 1)]);
        assertThat(Augmentation.flip(f).rgb()).containsExactly(face.rgb());
    }

    @Test
    void greyCopiesTheLumaToAllChannels() {
        Augmentation.Image g = Augmentation.grey(face);
        assertValid(g, S, S);
        assertThat(meanAbsDiff(g, face)).isGreaterThan(1);
        for (int i = 0; i < g.rgb().length; i += 3) {
            assertThat(g.rgb()[i]).isEqualTo(g.rgb()[i + 1]).isEqualTo(g.rgb()[i + 2]);
        }
    }

    @Test
    void scalingTheShorterSideDownAndBackBlursButKeepsTheFace() {
        Augmentation.Image small = Augmentation.scaleShorterSide(face, S / 2);
        assertValid(small, S / 2, S / 2);
        Augmentation.Image back = Augmentation.scaleShorterSide(small, S);
        assertValid(back, S, S);
        double diff = meanAbsDiff(back, face);
        assertThat(diff).isGreaterThan(0.5).isLessThan(20);
    }

    @Test
    void rotationMovesPixelsAndZeroDegreesIsTheIdentity() {
        Augmentation.Image r = Augmentation.rotate(face, 15);
        assertValid(r, S, S);
        assertThat(meanAbsDiff(r, face)).isGreaterThan(3);
        assertThat(meanAbsDiff(Augmentation.rotate(face, 0), face)).isLessThan(1e-3);
        // a corner falls outside the rotated source and turns black
        assertThat(r.rgb()[0] + r.rgb()[1] + r.rgb()[2]).isLessThan(face.rgb()[0] + face.rgb()[1] + face.rgb()[2] + 1);
    }

    @Test
    void cropTakesTheWindow() {
        Augmentation.Image big = Augmentation.scaleShorterSide(face, S + 16);
        Augmentation.Image c = Augmentation.crop(big, S, 5, 9);
        assertValid(c, S, S);
        assertThat(c.rgb()[0]).isEqualTo(big.rgb()[3 * (9 * big.width() + 5)]);
    }

    @Test
    void colourJitterStaysInRangeAndChangesColours() {
        Augmentation.Image j = Augmentation.colourJitter(face, new SplittableRandom(3));
        assertValid(j, S, S);
        assertThat(meanAbsDiff(j, face)).isGreaterThan(1);
        UnaryOperator<Augmentation.Image> bright = i -> Augmentation.brightness(i, 1.4f);
        double before = 0, after = 0;
        Augmentation.Image b = bright.apply(face);
        for (int i = 0; i < face.rgb().length; i++) {
            before += face.rgb()[i];
            after += b.rgb()[i];
        }
        assertThat(after).isGreaterThan(before);
        assertThat(Augmentation.saturation(face, 0f).rgb()).containsExactly(Augmentation.grey(face).rgb());
    }

    @Test
    void wholeRecipeIsDeterministicForASeedAndVariesAcrossSeeds() {
        byte[] a = Augmentation.apply(faceBytes, S, S, S, new SplittableRandom(42));
        byte[] b = Augmentation.apply(faceBytes, S, S, S, new SplittableRandom(42));
        byte[] c = Augmentation.apply(faceBytes, S, S, S, new SplittableRandom(43));
        assertThat(a).hasSize(S * S * 3).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a).isNotEqualTo(faceBytes);
    }
}
