package org.dldlage.model.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.NormalInitializer;

/**
 * ThinAgeNet and TinyAgeNet (paper Sec. 3.4): VGG16 "D" at reduced width, every 3×3 convolution
 * without bias followed by BatchNorm and ReLU, hybrid pooling and one fully connected layer to K.
 *
 * <p>Input NCHW float, N×3×S×S with S divisible by 32; output N×K logits (softmax gives p̂, eq. 7).
 */
public final class AgeNet {

    private AgeNet() {}

    public static Builder builder() {
        return new Builder();
    }

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

    /** Builds the network; {@code setOutputs} is required. */
    public static final class Builder {
        private Architecture architecture = Architecture.THIN;
        private int outputs = -1;
        private boolean hybridPooling = true;

        public Builder optArchitecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /** K for distribution methods, K−1 for ranking, 1 for regression. */
        public Builder setOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        /** true (default): last 2×2 max pool then global average pooling; false: GAP only. */
        public Builder optHybridPooling(boolean hybridPooling) {
            this.hybridPooling = hybridPooling;
            return this;
        }

        public Block build() {
            if (outputs < 1) {
                throw new IllegalArgumentException("setOutputs(n) with n >= 1 is required");
            }
            SequentialBlock net = new SequentialBlock();
            int blocks = Architecture.CONVS_PER_BLOCK.length;
            for (int b = 0; b < blocks; b++) {
                // N×C×H×W → N×c_b×H×W
                net.add(convBlock(Architecture.CONVS_PER_BLOCK[b], architecture.channels(b)));
                if (b < blocks - 1 || hybridPooling) {
                    // → N×c_b×H/2×W/2 (the fifth pool is the first half of hybrid pooling)
                    net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                }
            }
            // N×c×7×7 (at S = 224) → N×c×1×1 → N×c
            net.add(Pool.globalAvgPool2dBlock());
            net.add(Blocks.batchFlattenBlock());
            // N×c → N×outputs (bias starts at 0: DJL's default for biases)
            net.add(Linear.builder().setUnits(outputs).build());
            return net;
        }
    }
}
