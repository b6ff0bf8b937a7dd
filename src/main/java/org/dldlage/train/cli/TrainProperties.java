package org.dldlage.train.cli;

import org.dldlage.train.data.Augmentation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The trainer's options ({@code --train.*}); defaults are the ones the README table lists.
 *
 * @param data a folder with {@code labels.csv} (a {@code split} column) or {@code train/} and {@code val/} folders
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
 * @param frameJitter zoom/shift augmentation j (0: the authors' recipe only), see {@link Augmentation}
 * @param prepareOnly detect and align every set's images (filling the detection cache), then stop:
 *     detection runs fastest with one engine thread per core, training with all cores in one
 */
@Validated
@ConfigurationProperties("train")
public record TrainProperties(
        Path data,
        @DefaultValue("tiny") @Pattern(regexp = "thin|tiny", message = "must be thin or tiny") String arch,
        @DefaultValue("64") @Min(32) int inputSize,
        @DefaultValue("dldl-v2") @Pattern(regexp = "dldl-v2|dldl|dex|ranking|mr-l1|mr-l2",
                message = "must be one of dldl-v2, dldl, dex, ranking, mr-l1, mr-l2") String method,
        @DefaultValue("1") @PositiveOrZero double lambda,
        @DefaultValue("1") @Positive double labelStep,
        @DefaultValue("2") @Positive double sigma,
        @DefaultValue("20") @Min(1) int epochs,
        @DefaultValue("64") @Min(1) int batchSize,
        @DefaultValue("0.001") @Positive double lr,
        @DefaultValue("15") @Min(1) int lrStepEpochs,
        @DefaultValue("1") long seed,
        @DefaultValue("true") boolean augment,
        @DefaultValue("true") boolean hybridPooling,
        @NotNull Path output,
        @DefaultValue("false") boolean resume,
        @DefaultValue("0") @Min(0) int limit,
        @DefaultValue("none") @Pattern(regexp = "none|box|mtcnn", message = "must be none, box or mtcnn") String align,
        @DefaultValue("500") @Min(0) int templateSamples,
        List<@Valid TrainDataSet> sets,
        Path cacheDir,
        @DefaultValue("0") @PositiveOrZero double frameJitter,
        @DefaultValue("false") boolean prepareOnly) {

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
