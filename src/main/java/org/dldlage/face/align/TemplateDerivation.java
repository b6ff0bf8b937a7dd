package org.dldlage.face.align;

import org.dldlage.face.detect.Face;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.decode.ImageDecodeException;
import org.dldlage.face.decode.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Derives the alignment template from the training crops: MTCNN on UTKFace train images, the mean
 * of each landmark in [0, 1] coordinates of the crop ((p + 0.5)/side). Warping a served face onto
 * this template makes it look like the crops the network was trained on. The trainer stores the
 * result in model.json {@code alignment.template}. {@code bench.DeriveTemplate} (test sources) prints it
 * for UTKFace.
 */
public final class TemplateDerivation {

    /**
     * @param template mean landmark positions, [5][2], in [0, 1] crop coordinates
     * @param spread per-point standard deviation of the same, [5][2]
     * @param meanBox mean detected box (x, y, width, height) in [0, 1] crop coordinates
     * @param images crops tried
     * @param used crops with a face (the largest face's landmarks went into the mean)
     */
    public record Result(double[][] template, double[][] spread, double[] meanBox, int images, int used) {}

    private TemplateDerivation() {}

    /** Runs the detector on {@code count} train crops chosen with {@code seed} from labels.csv. */
    public static Result derive(FaceDetector detector, Path utkfaceDir, int count, long seed) throws IOException {
        List<String> train = new ArrayList<>();
        List<String> lines = Files.readAllLines(utkfaceDir.resolve("labels.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length >= 5 && f[4].trim().equals("train")) {
                train.add(f[0]);
            }
        }
        Collections.sort(train);
        Collections.shuffle(train, new Random(seed));
        List<Path> files = new ArrayList<>();
        for (String f : train.subList(0, Math.min(count, train.size()))) {
            files.add(utkfaceDir.resolve("images").resolve(f));
        }
        return derive(detector, files);
    }

    /** The mean normalised landmarks of the largest face in each image (images without a face are skipped). */
    public static Result derive(FaceDetector detector, List<Path> crops) throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        double[][] sum = new double[5][2];
        double[][] sq = new double[5][2];
        double[] box = new double[4];
        int used = 0;
        for (Path p : crops) {
            BufferedImage img;
            try {
                img = decoder.decode(Files.readAllBytes(p));
            } catch (ImageDecodeException e) {
                continue;
            }
            List<Face> faces = detector.detect(img, FaceDetector.DEFAULT_MIN_FACE_SIZE);
            if (faces.isEmpty()) {
                continue;
            }
            Face f = faces.get(0);
            double w = img.getWidth();
            double h = img.getHeight();
            for (int i = 0; i < 5; i++) {
                double x = (f.landmarks()[i][0] + 0.5) / w;
                double y = (f.landmarks()[i][1] + 0.5) / h;
                sum[i][0] += x;
                sum[i][1] += y;
                sq[i][0] += x * x;
                sq[i][1] += y * y;
            }
            box[0] += f.x() / w;
            box[1] += f.y() / h;
            box[2] += f.width() / w;
            box[3] += f.height() / h;
            used++;
        }
        if (used == 0) {
            throw new IOException("no face found in any of " + crops.size() + " images");
        }
        double[][] mean = new double[5][2];
        double[][] sd = new double[5][2];
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 2; k++) {
                mean[i][k] = sum[i][k] / used;
                sd[i][k] = Math.sqrt(Math.max(0, sq[i][k] / used - mean[i][k] * mean[i][k]));
            }
        }
        for (int k = 0; k < 4; k++) {
            box[k] /= used;
        }
        return new Result(mean, sd, box, crops.size(), used);
    }
}
