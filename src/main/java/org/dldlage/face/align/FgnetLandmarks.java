package org.dldlage.face.align;

import org.dldlage.face.detect.Face;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * FG-NET's 68 landmarks of one photo and how a detection is scored against them: the largest face's
 * box must contain the landmarks' centroid, and each detected eye is compared with that eye's centre
 * from the landmarks, normalised by the distance between the two landmark eye centres.
 *
 * <p>FG-NET's points are in FG-NET's own 68-point order, not iBUG's (checked on all 1,002 files):
 * 0-14 jaw, 15-26 brows, 27-30 the image-left eye's corners and lids with 31 its pupil, 32-35 the
 * image-right eye's with 36 its pupil, 37-47 nose, 48-67 mouth. An eye's centre here is the mean of
 * its four contour points (the analogue of the mean of iBUG's six).
 */
public record FgnetLandmarks(double[][] points) {

    /** Reads {@code points/<name lower-case>.pts} for an image file name such as 001A02.JPG. */
    public static FgnetLandmarks forImage(Path fgnetDir, String imageFile) throws IOException {
        String stem = imageFile.substring(0, imageFile.lastIndexOf('.')).toLowerCase(Locale.ROOT);
        return read(fgnetDir.resolve("points").resolve(stem + ".pts"));
    }

    public static FgnetLandmarks read(Path pts) throws IOException {
        List<double[]> p = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(pts)) {
            String s = line.trim();
            if (s.equals("{")) {
                in = true;
            } else if (s.equals("}")) {
                break;
            } else if (in && !s.isEmpty()) {
                String[] xy = s.split("\\s+");
                p.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
            }
        }
        if (p.size() != 68) {
            throw new IOException(pts.getFileName() + ": expected 68 points, found " + p.size());
        }
        return new FgnetLandmarks(p.toArray(new double[0][]));
    }

    /** Centre of the eye on the image's left (the subject's right eye): points 27-30. */
    public double[] imageLeftEye() {
        return mean(27, 31);
    }

    /** Centre of the eye on the image's right (the subject's left eye): points 32-35. */
    public double[] imageRightEye() {
        return mean(32, 36);
    }

    public double[] centroid() {
        return mean(0, 68);
    }

    public double interOcular() {
        return distance(imageLeftEye(), imageRightEye());
    }

    /** Whether the face's box contains the landmarks' centroid. */
    public boolean hit(Face face) {
        double[] c = centroid();
        return c[0] >= face.x() && c[0] <= face.x() + face.width() && c[1] >= face.y()
                && c[1] <= face.y() + face.height();
    }

    /** Mean of both eyes' distance to the landmark eye centres, over the inter-ocular distance. */
    public double eyeError(Face face) {
        double[][] lm = face.landmarks();
        double iod = interOcular();
        return (distance(lm[0], imageLeftEye()) + distance(lm[1], imageRightEye())) / (2 * iod);
    }

    private double[] mean(int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i < to; i++) {
            x += points[i][0];
            y += points[i][1];
        }
        return new double[] {x / (to - from), y / (to - from)};
    }

    static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
}
