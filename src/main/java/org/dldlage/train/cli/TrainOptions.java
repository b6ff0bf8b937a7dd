package org.dldlage.train.cli;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dldlage.face.align.Align;
import org.dldlage.model.net.Architecture;

/**
 * The trainer's options ({@code --train.*}); defaults are the ones the README table lists, filled in
 * here for every option left null.
 *
 * @param data a folder with {@code labels.csv} (a {@code split} column) or {@code train/} and {@code val/} folders
 * @param licence the terms of {@code data}, which the weights inherit (stated in the bundle; none given: said so)
 * @param arch {@code tiny} (TinyAgeNet) or {@code thin} (ThinAgeNet)
 * @param inputSize S, divisible by 32
 * @param method one of dldl-v2, dldl, dex, ranking, mr-l1, mr-l2
 * @param lambda λ of eq. (13)
 * @param labelStep Δl
 * @param sigma σ for images whose labels give none (the authors used 2 for real-age data)
 * @param lrStepEpochs the learning rate is divided by 10 every this many epochs
 * @param augment the authors' augmentation on (true) or only resizing (false)
 * @param hybridPooling last max pool + GAP (true) or GAP only (false)
 * @param output the bundle folder to write, e.g. {@code model-store/NAME}
 * @param resume continue from the output folder's last checkpoint
 * @param limit use at most this many training images (0: all), for quick runs
 * @param align how training faces are prepared: {@code none} (resize the crops, as UTKFace ships them),
 *     {@code box} or {@code mtcnn} (detect and align with the template derived from the training crops)
 * @param templateSamples training crops MTCNN is run on to derive the bundle's landmark template (0: none)
 * @param sets several labelled sets trained as one (instead of {@code data}): every image aligned
 *     through MTCNN as the service does, each set weighted, validated on its own val split, the epoch
 *     kept by the mean of the sets' val MAEs
 * @param cacheDir where face detections are cached between runs (default: ~/.cache/dldl-age)
 * @param frameJitter zoom/shift augmentation j (0: the authors' recipe only), see {@code data.Augmentation}
 * @param prepareOnly detect and align every set's images (filling the detection cache), then stop:
 *     detection runs fastest with one engine thread per core, training with all cores in one
 * @param initFrom a bundle whose weights the first epoch starts from instead of a random initialisation:
 *     the same network and label bins, any input size (global average pooling makes the weights
 *     size-free), so a model trained at 64 px can be fine-tuned at 96 for a fraction of a run from scratch
 * @param bnRecalibrationFaces before each epoch's validation, measure the batch-norm statistics again on this
 *     many clean (un-augmented) training faces ({@code loop.BatchNormRecalibration}); 0: keep the running
 *     statistics of the augmented batches (the authors' recipe)
 * @param ageBalance α in [0, 1]: each training image is drawn ∝ n_d^−α times per epoch, n_d the training images in
 *     its decade ({@code data.TrainingSets#ageBalance}); 0: the sets' own age mix (the authors' recipe), 1: every
 *     decade alike
 */
public record TrainOptions(
        Path data,
        String licence,
        Architecture arch,
        @Min(32) Integer inputSize,
        Method method,
        @PositiveOrZero Double lambda,
        @Positive Double labelStep,
        @Positive Double sigma,
        @Min(1) Integer epochs,
        @Min(1) Integer batchSize,
        @Positive Double lr,
        @Min(1) Integer lrStepEpochs,
        Long seed,
        Boolean augment,
        Boolean hybridPooling,
        @NotNull Path output,
        boolean resume,
        @Min(0) int limit,
        Align align,
        @Min(0) Integer templateSamples,
        List<@Valid TrainDataSet> sets,
        Path cacheDir,
        @PositiveOrZero double frameJitter,
        boolean prepareOnly,
        Path initFrom,
        @Min(0) int bnRecalibrationFaces,
        @PositiveOrZero @Max(1) double ageBalance) {

    /** The six methods of Table 3 by their option names ({@code model.method.Methods.NAMES}). */
    public enum Method {
        DLDL_V2, DLDL, DEX, RANKING, MR_L1, MR_L2;

        /** The option name, e.g. {@code dldl-v2}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public String toString() {
            return id();
        }
    }

    public TrainOptions {
        arch = arch == null ? Architecture.TINY : arch;
        inputSize = inputSize == null ? 64 : inputSize;
        method = method == null ? Method.DLDL_V2 : method;
        lambda = lambda == null ? 1 : lambda;
        labelStep = labelStep == null ? 1 : labelStep;
        sigma = sigma == null ? 2 : sigma;
        epochs = epochs == null ? 20 : epochs;
        batchSize = batchSize == null ? 64 : batchSize;
        lr = lr == null ? 0.001 : lr;
        lrStepEpochs = lrStepEpochs == null ? 15 : lrStepEpochs;
        seed = seed == null ? 1 : seed;
        augment = augment == null || augment;
        hybridPooling = hybridPooling == null || hybridPooling;
        align = align == null ? Align.NONE : align;
        templateSamples = templateSamples == null ? 500 : templateSamples;
    }

    @AssertTrue(message = "give either train.data or train.sets, not both")
    public boolean isDataOrSets() {
        return (data == null) != (sets == null || sets.isEmpty());
    }

    public boolean multiSet() {
        return sets != null && !sets.isEmpty();
    }

    @AssertTrue(message = "train.input-size must be divisible by 32")
    public boolean isInputSizeValid() {
        return inputSize % 32 == 0;
    }
}
