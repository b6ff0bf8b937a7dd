package org.dldlage.face;

import org.dldlage.face.decode.ImageDecodeException;
import org.dldlage.face.decode.ImageDecoder;
import org.dldlage.face.detect.Mtcnn;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real photos the face tests use, and one detector shared by all of them (loading costs ~1 s). */
public final class FaceTestData {

    private static Mtcnn mtcnn;

    private FaceTestData() {}

    static Path shared() {
        return Path.of(System.getProperty("dldl.shared.dir", "../shared"));
    }

    /** FG-NET's folder; skips the calling test with a message when the shared data is not there. */
    public static Path fgnet() {
        Path p = shared().resolve("data/fgnet");
        assumeTrue(Files.isDirectory(p.resolve("images")) && Files.isDirectory(p.resolve("points")),
                "FG-NET not found at " + p.toAbsolutePath() + ": skipping (tests read ../shared/data)");
        return p;
    }

    public static Path utkface() {
        Path p = shared().resolve("data/utkface");
        assumeTrue(Files.isRegularFile(p.resolve("labels.csv")),
                "UTKFace not found at " + p.toAbsolutePath() + ": skipping (tests read ../shared/data)");
        return p;
    }

    /** APPA-REAL's folder (tight face crops); skips the calling test when the shared data is not there. */
    public static Path appaReal() {
        Path p = shared().resolve("data/appa-real");
        assumeTrue(Files.isRegularFile(p.resolve("labels.csv")),
                "APPA-REAL not found at " + p.toAbsolutePath() + ": skipping (tests read ../shared/data)");
        return p;
    }

    /** Every {@code step}-th FG-NET photo in name order, {@code count} of them. */
    public static List<Path> fgnetSample(int count, int step) {
        try (Stream<Path> s = Files.list(fgnet().resolve("images"))) {
            List<Path> all = s.sorted().toList();
            return Stream.iterate(0, i -> i + step).limit(count).filter(i -> i < all.size()).map(all::get).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BufferedImage read(Path p) throws IOException, ImageDecodeException {
        return new ImageDecoder().decode(Files.readAllBytes(p));
    }

    /** The weights fetched by the build ({@code age.detection.mtcnn-dir}, set by surefire). Closed at JVM exit. */
    public static synchronized Mtcnn mtcnn() throws IOException {
        if (mtcnn == null) {
            mtcnn = Mtcnn.load();
            Mtcnn m = mtcnn;
            Runtime.getRuntime().addShutdownHook(new Thread(m::close));
        }
        return mtcnn;
    }

    /** The image rotated by {@code degrees} (clockwise on screen) about its centre, on a canvas that holds it all. */
    public static BufferedImage rotate(BufferedImage src, double degrees) {
        double r = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(r));
        double cos = Math.abs(Math.cos(r));
        int w = (int) Math.ceil(src.getWidth() * cos + src.getHeight() * sin);
        int h = (int) Math.ceil(src.getWidth() * sin + src.getHeight() * cos);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform t = new AffineTransform();
        t.translate(w / 2.0, h / 2.0);
        t.rotate(r);
        t.translate(-src.getWidth() / 2.0, -src.getHeight() / 2.0);
        g.drawImage(src, t, null);
        g.dispose();
        return out;
    }

    public static double eyeAngleDegrees(double[][] landmarks) {
        return Math.toDegrees(Math.atan2(landmarks[1][1] - landmarks[0][1], landmarks[1][0] - landmarks[0][0]));
    }
}
