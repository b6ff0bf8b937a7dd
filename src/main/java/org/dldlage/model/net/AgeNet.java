package org.dldlage.model.net;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ThinAgeNet and TinyAgeNet (paper Sec. 3.4): VGG16 "D" at reduced width, every 3×3 convolution
 * without bias followed by BatchNorm and ReLU, hybrid pooling and one fully connected layer to K.
 *
 * <p>Input N×S×S×3 RGB faces (UINT8, or float in 0..255; S divisible by 32); output N×K logits
 * (softmax gives p̂, eq. 7). Three named parts, applied in order:
 * <ul>
 *   <li>{@link #input()}: {@link RgbInput}, the bundle's normalisation, → N×3×S×S; no parameters.
 *   <li>{@link #features()}: the five conv blocks, each followed by a 2×2 max pool (the fifth only with
 *       hybrid pooling), → N×c×S/32×S/32 (N×c×S/16×S/16 without): the maps F^j of the age score map (Sec. 4.6).
 *   <li>{@link #head()}: global average pooling, flatten and {@link #fc()}, → N×c → N×K.
 * </ul>
 *
 * <p>Parameter files ({@code age.params}, training checkpoints) keep the layout the bundles were first
 * written in, a flat DJL {@link SequentialBlock} of the layers of features then head: that block's
 * header (encoding version, its N×3×S×S input shape, no intermediate outputs), then each layer as DJL
 * saves it. The input block has nothing to save and is not written.
 */
public final class AgeNet extends AbstractBlock {

    /** {@link SequentialBlock}'s encoding version: the header byte of a flat network's parameter file. */
    private static final byte FLAT_VERSION = 3;

    private final RgbInput input;
    private final SequentialBlock features;
    private final SequentialBlock head;
    private final Linear fc;

    private AgeNet(RgbInput input, SequentialBlock features, SequentialBlock head, Linear fc) {
        this.input = addChildBlock("input", input);
        this.features = addChildBlock("features", features);
        this.head = addChildBlock("head", head);
        this.fc = fc;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shape to initialise a network for S×S faces with: one N×S×S×3 face. */
    public static Shape inputShape(int size) {
        return new Shape(1, size, size, 3);
    }

    /** N×S×S×3 RGB → normalised N×3×S×S. */
    public RgbInput input() { return input; }

    /** N×3×S×S → the maps global average pooling reduces, N×c×h×w. */
    public SequentialBlock features() { return features; }

    /** N×c×h×w → N×K logits: global average pooling, flatten, {@link #fc()}. */
    public SequentialBlock head() { return head; }

    /** The fully connected layer, N×c → N×K: weight K×c, bias K. */
    public Linear fc() { return fc; }

    /**
     * One VGG block: {@code convs} × (conv 3×3 pad 1 no bias → BatchNorm → ReLU), no pooling.
     * N×C×H×W → N×channels×H×W. Conv weights start from N(0, 2/(3·3·channels)) as in the authors' code.
     */
    public static SequentialBlock convBlock(int convs, int channels) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < convs; i++) {
            Conv2d conv =
                    Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(channels)
                            .optBias(false)
                            .build();
            conv.setInitializer(new NormalInitializer((float) Math.sqrt(2.0 / (9 * channels))), Parameter.Type.WEIGHT);
            block.add(conv).add(BatchNorm.builder().build()).add(Activation::relu);
        }
        return block;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = input.forward(ps, inputs, training, params);
        return head.forward(ps, features.forward(ps, x, training, params), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block part : List.of(input, features, head)) {
            part.initialize(manager, dataType, shapes);
            shapes = part.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(features.getOutputShapes(input.getOutputShapes(inputShapes)));
    }

    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        os.write(FLAT_VERSION);
        os.writeInt(1);
        os.write(features.getInputShapes()[0].getEncoded());
        os.writeBoolean(false);
        for (Block layer : layers()) {
            layer.saveParameters(os);
        }
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        byte version = is.readByte();
        if (version != FLAT_VERSION) {
            throw new MalformedModelException("parameter file version " + version + ", expected " + FLAT_VERSION);
        }
        for (int i = is.readInt(); i > 0; i--) {
            Shape.decode(is); // the flat network's input shape: each layer reads its own
        }
        is.readBoolean();
        for (Block layer : layers()) {
            layer.loadParameters(manager, is);
        }
    }

    /** The layers of features then head: the flat network's children, in its order. */
    private List<Block> layers() {
        List<Block> layers = new ArrayList<>(features.getChildren().values());
        layers.addAll(head.getChildren().values());
        return layers;
    }

    /** Builds the network; {@code setOutputs} and {@code setNormalization} are required. */
    public static final class Builder {
        private Architecture architecture = Architecture.THIN;
        private int outputs = -1;
        private boolean hybridPooling = true;
        private float[] mean;
        private float[] std;

        public Builder optArchitecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /** K for distribution methods, K−1 for ranking, 1 for regression. */
        public Builder setOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        /** The input block's per-channel mean and std of RGB in [0, 1] (a bundle's {@code normalization}). */
        public Builder setNormalization(float[] mean, float[] std) {
            this.mean = mean;
            this.std = std;
            return this;
        }

        /** true (default): last 2×2 max pool then global average pooling; false: GAP only. */
        public Builder optHybridPooling(boolean hybridPooling) {
            this.hybridPooling = hybridPooling;
            return this;
        }

        public AgeNet build() {
            if (outputs < 1) {
                throw new IllegalArgumentException("setOutputs(n) with n >= 1 is required");
            }
            if (mean == null || std == null) {
                throw new IllegalArgumentException("setNormalization(mean, std) is required");
            }
            SequentialBlock features = new SequentialBlock();
            int blocks = Architecture.CONVS_PER_BLOCK.length;
            for (int b = 0; b < blocks; b++) {
                // N×C×H×W → N×c_b×H×W
                features.add(convBlock(Architecture.CONVS_PER_BLOCK[b], architecture.channels(b)));
                if (b < blocks - 1 || hybridPooling) {
                    // → N×c_b×H/2×W/2 (the fifth pool is the first half of hybrid pooling)
                    features.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                }
            }
            Linear fc = Linear.builder().setUnits(outputs).build(); // bias starts at 0: DJL's default for biases
            // N×c×7×7 (at S = 224) → N×c×1×1 → N×c → N×outputs
            SequentialBlock head = new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()).add(fc);
            return new AgeNet(new RgbInput(mean, std), features, head, fc);
        }
    }
}
