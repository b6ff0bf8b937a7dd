package org.dldlage.face.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * MTCNN's three networks (P-Net, R-Net, O-Net) with the original weights as converted to TFLite,
 * read by tensor name and laid out for PyTorch. Inputs are [N, 3, x, y] (width before height, as the
 * MATLAB-trained networks see images), already normalised. Read-only once built: thread-safe.
 */
final class MtcnnNets {

    /** One layer's parameters: weight and bias, or a PReLU's slopes (in {@code weight}). */
    private record Layer(NDArray weight, NDArray bias) {}

    private final NDManager manager;
    private final Layer[] pnet;
    private final Layer[] rnet;
    private final Layer[] onet;

    /** @param w the P-Net, R-Net and O-Net weights, in that order; the tensors are created on {@code manager} */
    MtcnnNets(NDManager manager, TfliteWeights[] w) {
        this.manager = manager;
        TfliteWeights p = w[0];
        TfliteWeights r = w[1];
        TfliteWeights o = w[2];
        pnet = new Layer[] {
            conv(p, "pnet/conv1", 10, 3, 3, 3), prelu(p, "pnet/PReLU1", 10, 4),
            conv(p, "pnet/conv2", 16, 3, 3, 10), prelu(p, "pnet/PReLU2", 16, 4),
            conv(p, "pnet/conv3", 32, 3, 3, 16), prelu(p, "pnet/PReLU3", 32, 4),
            conv(p, "pnet/conv4-1", 2, 1, 1, 32), conv(p, "pnet/conv4-2", 4, 1, 1, 32),
        };
        rnet = new Layer[] {
            conv(r, "rnet/conv1", 28, 3, 3, 3), prelu(r, "rnet/prelu1", 28, 4),
            conv(r, "rnet/conv2", 48, 3, 3, 28), prelu(r, "rnet/prelu2", 48, 4),
            conv(r, "rnet/conv3", 64, 2, 2, 48), prelu(r, "rnet/prelu3", 64, 4),
            fc(r, "rnet/conv4", 128, 576), prelu(r, "rnet/prelu4", 128, 2),
            fc(r, "rnet/conv5-1", 2, 128), fc(r, "rnet/conv5-2", 4, 128),
        };
        onet = new Layer[] {
            conv(o, "onet/conv1", 32, 3, 3, 3), prelu(o, "onet/prelu1", 32, 4),
            conv(o, "onet/conv2", 64, 3, 3, 32), prelu(o, "onet/prelu2", 64, 4),
            conv(o, "onet/conv3", 64, 3, 3, 64), prelu(o, "onet/prelu3", 64, 4),
            conv(o, "onet/conv4", 128, 2, 2, 64), prelu(o, "onet/prelu4", 128, 4),
            fc(o, "onet/conv5", 256, 1152), prelu(o, "onet/prelu5", 256, 2),
            fc(o, "onet/conv6-1", 2, 256), fc(o, "onet/conv6-2", 4, 256), fc(o, "onet/conv6-3", 10, 256),
        };
    }

    /** TFLite conv filters are OHWI; PyTorch wants OIHW. H/W stay as they are: both sides use (x, y). */
    private Layer conv(TfliteWeights w, String layer, int out, int kh, int kw, int in) {
        TfliteWeights.Tensor f = w.require(layer + "/weights/read", out, kh, kw, in);
        TfliteWeights.Tensor b = w.require(layer + "/Conv2D_bias", out);
        float[] v = f.values();
        float[] oihw = new float[v.length];
        for (int o = 0; o < out; o++) {
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int i = 0; i < in; i++) {
                        oihw[((o * in + i) * kh + y) * kw + x] = v[((o * kh + y) * kw + x) * in + i];
                    }
                }
            }
        }
        return new Layer(manager.create(oihw, new Shape(out, in, kh, kw)), manager.create(b.values()));
    }

    /** TFLite stores fully connected weights as [out, in], PyTorch's layout already. */
    private Layer fc(TfliteWeights w, String layer, int out, int in) {
        TfliteWeights.Tensor f = w.require(layer + "/weights/read/transpose", out, in);
        String base = layer.substring(layer.lastIndexOf('/') + 1);
        TfliteWeights.Tensor b = w.require(layer + "/" + base + "/MatMul_bias", out);
        return new Layer(manager.create(f.values(), new Shape(out, in)), manager.create(b.values()));
    }

    private Layer prelu(TfliteWeights w, String layer, int channels, int rank) {
        TfliteWeights.Tensor a = w.require(layer + "/alpha/read", channels);
        Shape shape = rank == 4 ? new Shape(1, channels, 1, 1) : new Shape(1, channels);
        return new Layer(manager.create(a.values(), shape), null);
    }

    private static NDArray conv(NDArray x, Layer l) {
        return Conv2d.conv2d(x, l.weight(), l.bias()).singletonOrThrow();
    }

    private static NDArray fc(NDArray x, Layer l) {
        return Linear.linear(x, l.weight(), l.bias()).singletonOrThrow();
    }

    /** PReLU = max(x, 0) + a·min(x, 0), per channel. */
    private static NDArray prelu(NDArray x, Layer l) {
        return x.maximum(0f).add(x.minimum(0f).mul(l.weight()));
    }

    private static NDArray maxPool(NDArray x, int k, boolean same) {
        // TensorFlow's SAME max pooling here equals PyTorch's ceil mode (windows start inside the input)
        return Pool.maxPool2d(x, new Shape(k, k), new Shape(2, 2), new Shape(0, 0), same);
    }

    /** Flattens as TensorFlow did (NHWC order), so the converted fully connected weights line up. */
    private static NDArray flatten(NDArray x) {
        return x.transpose(0, 2, 3, 1).reshape(x.getShape().get(0), -1);
    }

    /** @return {P(face) [1, x, y], regression [4, x, y]} */
    NDArray[] pnet(NDArray x) {
        Layer[] p = pnet;
        x = prelu(conv(x, p[0]), p[1]);
        x = maxPool(x, 2, true);
        x = prelu(conv(x, p[2]), p[3]);
        x = prelu(conv(x, p[4]), p[5]);
        NDArray prob = conv(x, p[6]).softmax(1).get(":, 1");
        return new NDArray[] {prob, conv(x, p[7]).get(0)};
    }

    /** @return {P(face) [N], regression [N, 4]} */
    NDArray[] rnet(NDArray x) {
        Layer[] r = rnet;
        x = prelu(conv(x, r[0]), r[1]);
        x = maxPool(x, 3, true);
        x = prelu(conv(x, r[2]), r[3]);
        x = maxPool(x, 3, false);
        x = prelu(conv(x, r[4]), r[5]);
        x = prelu(fc(flatten(x), r[6]), r[7]);
        return new NDArray[] {fc(x, r[8]).softmax(1).get(":, 1"), fc(x, r[9])};
    }

    /** @return {P(face) [N], regression [N, 4], landmarks [N, 10] (5 x then 5 y, relative to the box)} */
    NDArray[] onet(NDArray x) {
        Layer[] o = onet;
        x = prelu(conv(x, o[0]), o[1]);
        x = maxPool(x, 3, true);
        x = prelu(conv(x, o[2]), o[3]);
        x = maxPool(x, 3, false);
        x = prelu(conv(x, o[4]), o[5]);
        x = maxPool(x, 2, true);
        x = prelu(conv(x, o[6]), o[7]);
        x = prelu(fc(flatten(x), o[8]), o[9]);
        return new NDArray[] {fc(x, o[10]).softmax(1).get(":, 1"), fc(x, o[11]), fc(x, o[12])};
    }
}
