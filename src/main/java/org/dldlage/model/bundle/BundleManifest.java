package org.dldlage.model.bundle;

import org.dldlage.model.net.Architecture;
import org.dldlage.model.method.Methods;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.dldlage.core.LabelSpace;

/**
 * {@code model.json}: everything needed to rebuild, verify and describe a trained model.
 *
 * @param formatVersion bundle format version, {@value #FORMAT_VERSION}
 * @param name the bundle's name (its folder name)
 * @param architecture {@code ThinAgeNet} or {@code TinyAgeNet}
 * @param width width multiplier of VGG16's channels
 * @param hybridPooling last max pool then GAP (true) or GAP only (false)
 * @param inputSize S: the network sees S×S RGB faces
 * @param labels the label space l = min:step:max
 * @param method training method id (see {@link Methods})
 * @param lambda λ of eq. (13)
 * @param normalization per-channel mean and std applied to RGB in [0, 1]
 * @param alignment how faces must be prepared for this model
 * @param training what the model was trained on and how
 * @param testMetrics metrics on the held-out test split (empty until evaluated); a bundle trained on
 *     several sets has them per set and split, e.g. {@code appa-real.val.mae}
 * @param calibration the temperature applied to the logits, or null (none)
 * @param createdAt ISO-8601 creation time
 * @param parameters the parameter file: name, size in bytes, SHA-256 and trainable parameter count
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
        int formatVersion,
        String name,
        String architecture,
        double width,
        boolean hybridPooling,
        int inputSize,
        Labels labels,
        String method,
        double lambda,
        Normalization normalization,
        Alignment alignment,
        Training training,
        Map<String, Double> testMetrics,
        String createdAt,
        ParameterFile parameters,
        Calibration calibration) {

    public static final int FORMAT_VERSION = 1;

    /** The label space of the network's outputs. */
    public record Labels(double min, double max, double step) {
        public LabelSpace space() {
            return new LabelSpace(min, max, step);
        }

        public static Labels of(LabelSpace s) {
            return new Labels(s.min(), s.max(), s.step());
        }
    }

    /** Per-channel normalisation (x − mean)/std of RGB values in [0, 1]. */
    public record Normalization(float[] mean, float[] std) {
        /** The authors' values (DLDL-v2.md, "Training recipe"). */
        public static Normalization authors() {
            return new Normalization(new float[] {0.5958f, 0.4637f, 0.4065f}, new float[] {0.2693f, 0.2409f, 0.2352f});
        }
    }

    /**
     * How a face must be cropped for this model.
     *
     * @param mode {@code crop} (trained on pre-cropped faces, resized) or {@code mtcnn} (aligned with MTCNN)
     * @param template the 5-point template (x, y) in [0, 1] of the S×S frame: eyes, nose, mouth corners
     */
    public record Alignment(String mode, List<double[]> template) {

        /** {@code mode} of a model trained on faces warped onto its template by MTCNN's landmarks. */
        public static final String MTCNN = "mtcnn";
    }

    /**
     * @param data the data set's name and split used
     * @param licence the data set's terms, inherited by the weights
     * @param samples images trained on
     * @param epochs epochs run
     * @param bestEpoch epoch kept (best validation MAE)
     * @param settings the trainer's options
     */
    public record Training(
            String data, String licence, long samples, int epochs, int bestEpoch, Map<String, Object> settings) {}

    /** @param file file name inside the bundle; @param bytes its size; @param sha256 its hex SHA-256 */
    public record ParameterFile(String file, long bytes, String sha256, long trainableCount) {}

    /**
     * A temperature T on the logits, p̂ = softmax(z / T), fitted on validation data so that the central
     * 80% interval of p̂ holds the truth about 80% of the time.
     *
     * @param temperature T (1: as trained)
     * @param fittedOn the data it was fitted on
     */
    public record Calibration(double temperature, String fittedOn) {}

    /** T of {@link Calibration}, 1 without one. */
    public double temperature() {
        return calibration == null ? 1 : calibration.temperature();
    }

    /** This manifest with other test metrics. */
    public BundleManifest withTestMetrics(Map<String, Double> metrics) {
        return new BundleManifest(formatVersion, name, architecture, width, hybridPooling, inputSize, labels, method, lambda,
                normalization, alignment, training, metrics, createdAt, parameters, calibration);
    }

    /** This manifest with another calibration. */
    public BundleManifest withCalibration(Calibration c) {
        return new BundleManifest(formatVersion, name, architecture, width, hybridPooling, inputSize, labels, method, lambda,
                normalization, alignment, training, testMetrics, createdAt, parameters, c);
    }

    /**
     * The model learned faces warped onto a landmark template ({@code alignment.mode = mtcnn}), so a crop sent
     * with {@code align=none} is better framed by finding its face again than by resizing it.
     */
    public boolean trainedOnAlignedFaces() {
        return alignment != null && Alignment.MTCNN.equals(alignment.mode());
    }

    /** The alignment template the model was trained with ({@link Alignment#template}), or null where the bundle records none. */
    public double[][] alignmentTemplate() {
        return alignment == null || alignment.template() == null ? null : alignment.template().toArray(double[][]::new);
    }

    public LabelSpace labelSpace() {
        return labels.space();
    }

    public Architecture architectureEnum() {
        return Architecture.parse(architecture);
    }
}
