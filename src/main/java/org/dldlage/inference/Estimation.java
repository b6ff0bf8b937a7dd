package org.dldlage.inference;

import java.util.List;
import org.dldlage.core.AgeDistribution;
import org.dldlage.face.Face;
import org.dldlage.model.BundleManifest;

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
     */
    public record FaceAge(Face face, double age, AgeDistribution distribution) {}

    /**
     * Milliseconds per stage; queue, inference and batch size are the largest over the request's faces.
     */
    public record Timings(double decodeMs, double detectMs, double alignMs, double queueMs, double inferenceMs,
            double totalMs, int batchSize) {}
}
