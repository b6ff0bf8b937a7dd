package org.dldlage.inference;

import java.util.List;
import org.dldlage.core.AgeDistribution;
import org.dldlage.face.detect.Face;
import org.dldlage.model.bundle.BundleManifest;

/**
 * What the pipeline found in one photo.
 *
 * @param imageWidth width of the (orientation-corrected) image
 * @param imageHeight its height
 * @param faces largest first
 * @param timings where the time went
 * @param model the model version that estimated the faces
 */
public record Estimation(int imageWidth, int imageHeight, List<FaceAge> faces, Timings timings, ModelUsed model) {

    /** Without naming the model. */
    public Estimation(int imageWidth, int imageHeight, List<FaceAge> faces, Timings timings) {
        this(imageWidth, imageHeight, faces, timings, null);
    }

    /**
     * @param name the model's name (its bundle folder)
     * @param version which loaded version of it (counted from 1 by the running process)
     * @param manifest that version's {@code model.json}
     */
    public record ModelUsed(String name, int version, BundleManifest manifest) {}

    /**
     * @param face the detected face, or null with {@code align=none} (the whole image)
     * @param age ŷ, the expectation of p̂ (the network's output for methods without a distribution)
     * @param distribution p̂, or null for methods without one
     * @param explanation the aligned face and its score map, when asked for
     */
    public record FaceAge(Face face, double age, AgeDistribution distribution, Explanation explanation) {

        public FaceAge(Face face, double age, AgeDistribution distribution) {
            this(face, age, distribution, null);
        }
    }

    /**
     * The paper's age score map S (Sec. 4.6) of one face.
     *
     * @param crop the S×S RGB face the model saw (S·S·3 bytes)
     * @param size its side
     * @param map S, {@code height}×{@code width}, row-major (the map global average pooling reduces)
     */
    public record Explanation(byte[] crop, int size, float[] map, int height, int width) {}

    /**
     * Milliseconds per stage; queue, inference and batch size are the largest over the request's faces.
     */
    public record Timings(double decodeMs, double detectMs, double alignMs, double queueMs, double inferenceMs,
            double totalMs, int batchSize) {}
}
