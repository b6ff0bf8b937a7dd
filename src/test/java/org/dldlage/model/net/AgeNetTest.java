package org.dldlage.model.net;

import org.dldlage.model.bundle.ModelBundles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgeNetTest {

    private static long trainable(Architecture arch, int outputs) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = AgeNet.builder().optArchitecture(arch).setOutputs(outputs).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            return ModelBundles.trainableCount(net);
        }
    }

    @Test
    void parameterCountsMatchThePaper() {
        assertThat(trainable(Architecture.THIN, 101)).isEqualTo(3_708_229);
        assertThat(trainable(Architecture.TINY, 101)).isEqualTo(934_869);
    }

    @ParameterizedTest
    @ValueSource(ints = {224, 128, 112, 96, 64})
    void anyInputDivisibleBy32GivesKOutputs(int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = AgeNet.builder().optArchitecture(Architecture.TINY).setOutputs(101).build();
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
            NDArray out = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 3, size, size))), false).head();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 101));
        }
    }

    /** Layer by layer at 224: five blocks halve the map to 7×7, hybrid pooling averages it away. */
    @Test
    void shapesLayerByLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = (SequentialBlock) AgeNet.builder().optArchitecture(Architecture.THIN).setOutputs(101).build();
            Shape[] shapes = {new Shape(1, 3, 224, 224)};
            net.initialize(m, DataType.FLOAT32, shapes);
            Shape[] expected = {
                new Shape(1, 32, 224, 224), new Shape(1, 32, 112, 112),
                new Shape(1, 64, 112, 112), new Shape(1, 64, 56, 56),
                new Shape(1, 128, 56, 56), new Shape(1, 128, 28, 28),
                new Shape(1, 256, 28, 28), new Shape(1, 256, 14, 14),
                new Shape(1, 256, 14, 14), new Shape(1, 256, 7, 7),
                new Shape(1, 256), new Shape(1, 256), new Shape(1, 101)
            };
            int i = 0;
            for (Pair<String, Block> child : net.getChildren()) {
                shapes = child.getValue().getOutputShapes(shapes);
                assertThat(shapes[0]).as("after %s", child.getKey()).isEqualTo(expected[i++]);
            }
            assertThat(i).isEqualTo(expected.length);
        }
    }

    @Test
    void globalAveragePoolingVariantDropsTheLastMaxPool() {
        SequentialBlock hybrid = (SequentialBlock) AgeNet.builder().setOutputs(101).build();
        SequentialBlock gap = (SequentialBlock) AgeNet.builder().setOutputs(101).optHybridPooling(false).build();
        assertThat(gap.getChildren().size()).isEqualTo(hybrid.getChildren().size() - 1);
    }

    @Test
    void convolutionsStartFromTheAuthorsNormalAndHaveNoBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = AgeNet.builder().optArchitecture(Architecture.THIN).setOutputs(101).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            int convs = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                if (a.getShape().dimension() == 4) {
                    convs++;
                    long out = a.getShape().get(0);
                    double std = Math.sqrt(a.sub(a.mean()).square().mean().getFloat());
                    assertThat(std).as(p.getKey()).isCloseTo(Math.sqrt(2.0 / (9 * out)), within(0.15 * Math.sqrt(2.0 / (9 * out))));
                }
                assertThat(p.getKey()).as("no conv bias").doesNotContain("Conv2d_bias");
            }
            assertThat(convs).isEqualTo(13);
        }
    }

    @Test
    void outputsAreRequired() {
        assertThatThrownBy(() -> AgeNet.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setOutputs");
    }
}
