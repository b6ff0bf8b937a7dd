package org.dldlage.inference;

import java.util.List;
import org.dldlage.core.AgeDistribution;
import org.dldlage.face.detect.Face;
import org.dldlage.model.ScoreMapRenderer;
import org.dldlage.model.bundle.BundleManifest;

/**
 * What the pipeline found in one photo, with everything a caller reports per face computed here once
 * (the statistics of p̂, the age check's decision, the explanation's overlay).
 *
 * @param imageWidth width of the (orientation-corrected) image
 * @param imageHeight its height
 * @param faces largest first
 * @param timings where the time went
 * @param model the model version that estimated the faces
 */
public record Estimation(int imageWidth, int imageHeight, List<FaceAge> faces, Timings timings, ModelUsed model) {

    /** Central share of p̂ reported as the age interval. */
    public static final double INTERVAL_LEVEL = 0.8;

    /**
     * @param name the model's name (its bundle folder)
     * @param version which loaded version of it (counted from 1 by the running process)
     * @param manifest that version's {@code model.json}
     */
    public record ModelUsed(String name, int version, BundleManifest manifest) {

        public String architecture() {
            return manifest.architecture();
        }

        public int inputSize() {
            return manifest.inputSize();
        }

        /** Δl, the label step in years. */
        public double labelStep() {
            return manifest.labels().step();
        }
    }

    /**
     * Where a face was found, in pixels of the orientation-corrected image.
     *
     * @param score the detector's confidence in [0, 1]
     * @param landmarks five (x, y) points: eyes, nose, mouth corners; null when the detector gives none
     */
    public record Detection(double x, double y, double width, double height, double score, double[][] landmarks) {

        static Detection of(Face f) {
            return f == null ? null : new Detection(f.x(), f.y(), f.width(), f.height(), f.score(), f.landmarks());
        }
    }

    /**
     * @param detection the detected face, or null with {@code align=none} when the crop was taken as sent
     * @param alignment how the face was cut out: {@code mtcnn}, {@code box}, or {@code none} (the crop as sent);
     *     {@code mtcnn} also where {@code align=none} found the crop's own face and warped it onto the template
     * @param age ŷ, the expectation of p̂ (the network's output for methods without a distribution)
     * @param distribution p̂, or null for methods without one
     * @param explanation the aligned face and its score map, when asked for
     */
    public record FaceAge(Detection detection, String alignment, double age, AgeDistribution distribution, Explanation explanation) {

        /** p̂ is known (methods without a distribution give ŷ alone). */
        public boolean hasDistribution() {
            return distribution != null;
        }

        /** The standard deviation of p̂ in years: the model's own uncertainty. */
        public double ageStd() {
            return distribution.standardDeviation();
        }

        /** The central {@link Estimation#INTERVAL_LEVEL} interval of p̂: {lower, upper}. */
        public double[] ageInterval() {
            return distribution.centralInterval(INTERVAL_LEVEL);
        }

        /** Σ p̂_k over labels l_k < 18. */
        public double probabilityUnder18() {
            return distribution.probabilityBelow(18);
        }

        /** p̂ over the labels {@link #labelStart()}, + {@link #labelStep()}, ... */
        public float[] probabilities() {
            double[] p = distribution.probabilities();
            float[] compact = new float[p.length];
            for (int k = 0; k < compact.length; k++) {
                compact[k] = (float) p[k];
            }
            return compact;
        }

        public double labelStart() {
            return distribution.space().min();
        }

        public double labelStep() {
            return distribution.space().step();
        }
    }

    /**
     * The paper's age score map S (Sec. 4.6) of one face.
     *
     * @param crop the S×S RGB face the model saw (S·S·3 bytes)
     * @param size its side
     * @param map S, {@code height}×{@code width}, row-major (the map global average pooling reduces)
     */
    public record Explanation(byte[] crop, int size, float[] map, int height, int width) {

        /** Side of the drawn face: large enough to read whatever the model's input size. */
        public static final int DISPLAY = 224;

        /** The crop with S upsampled over it as a heat map, and a legend of {@code age}, as PNG. */
        public byte[] overlayPng(double age) {
            var image = ScoreMapRenderer.render(crop, size, map, height, width, DISPLAY, String.format("age %.1f", age));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try {
                javax.imageio.ImageIO.write(image, "png", out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    /**
     * Milliseconds per stage; queue, inference and batch size are the largest over the request's faces.
     */
    public record Timings(double decodeMs, double detectMs, double alignMs, double queueMs, double inferenceMs,
            double totalMs, int batchSize) {}
}
