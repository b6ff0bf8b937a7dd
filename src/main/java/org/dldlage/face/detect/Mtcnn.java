package org.dldlage.face.detect;

import org.dldlage.face.ImageOps;
import org.dldlage.face.Resampler;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * MTCNN (Zhang et al. 2016) on the DJL PyTorch engine: P-Net over an image pyramid, R-Net and O-Net
 * on the candidates, each stage followed by non-maximum suppression and box regression; O-Net gives
 * the five landmarks. The weights are the original Caffe/MATLAB ones as converted to TFLite (read by
 * tensor name with {@link TfliteWeights}); the pipeline follows the reference implementation (as in
 * facenet's port), including its 1-based box arithmetic, and converts to 0-based pixels at the end.
 *
 * <p>The MATLAB-trained networks see images transposed: every input tensor here is laid out as
 * [N, C, x, y] (width before height), so outputs come back indexed by (x, y) too.
 *
 * <p>Thread-safe: the weights are read-only and each call works in its own NDManager.
 */
public final class Mtcnn implements FaceDetector, AutoCloseable {

    /** Where the build's fetch script puts pnet/rnet/onet.tflite, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("model-store", "mtcnn");
    /** System property that overrides {@link #DEFAULT_DIR}. */
    public static final String DIR_PROPERTY = "dldl.mtcnn.dir";
    public static final int DEFAULT_MIN_FACE_SIZE = 20;
    /**
     * Default cap on the first pyramid level's longer side, which bounds P-Net's work on big photos. A
     * 1920-px photo with 20-px minimum faces would start at 1152 px (about 0.4 s on one core); at 640
     * it takes a fifth of that and only faces under 12·1920/640 = 36 px are not searched, too small
     * for an age estimate anyway. Photos up to 1066 px are searched down to 20 px as configured.
     */
    public static final int DEFAULT_MAX_PYRAMID_SIDE = 640;
    /**
     * Photos longer than this are halved (2×2 averages) until they fit before anything else, so the
     * float copy of the pixels stays bounded (≤ 48 MB) and crops still come from ample resolution.
     */
    static final int MAX_WORKING_SIDE = 2048;

    static final double PYRAMID_FACTOR = 0.709;
    static final float[] THRESHOLDS = {0.6f, 0.7f, 0.7f};
    private static final String[] FILES = {"pnet.tflite", "rnet.tflite", "onet.tflite"};

    private final NDManager manager;
    private final Layer[] pnet;
    private final Layer[] rnet;
    private final Layer[] onet;
    private final int maxPyramidSide;
    /** Input buffers of finished calls, for the next ones: as many as calls ever ran at once. */
    private final java.util.concurrent.ConcurrentLinkedDeque<Scratch> scratch =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

    /** One layer's parameters: weight and bias, or a PReLU's slopes (in {@code weight}). */
    private record Layer(NDArray weight, NDArray bias) {}

    private Mtcnn(NDManager manager, TfliteWeights[] w, int maxPyramidSide) {
        this.manager = manager;
        this.maxPyramidSide = maxPyramidSide;
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

    // --- loading

    /** Loads from {@code -Ddldl.mtcnn.dir} or {@link #DEFAULT_DIR}. */
    public static Mtcnn load() throws IOException {
        return load(defaultDir());
    }

    /** The weights folder: {@code -Ddldl.mtcnn.dir} if set, else {@link #DEFAULT_DIR}. */
    public static Path defaultDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        return dir == null || dir.isBlank() ? DEFAULT_DIR : Path.of(dir);
    }

    public static Mtcnn load(Path dir) throws IOException {
        return load(dir, null, DEFAULT_MAX_PYRAMID_SIDE);
    }

    /**
     * @param dir folder with pnet.tflite, rnet.tflite, onet.tflite
     * @param device where to run, or null for the engine's default device
     * @param maxPyramidSide cap on the longer side of the first pyramid level (bounds work on big photos)
     */
    public static Mtcnn load(Path dir, Device device, int maxPyramidSide) throws IOException {
        if (maxPyramidSide < 12) {
            throw new IllegalArgumentException("maxPyramidSide must be at least 12, got " + maxPyramidSide);
        }
        TfliteWeights[] w = new TfliteWeights[3];
        for (int i = 0; i < 3; i++) {
            Path f = dir.resolve(FILES[i]);
            if (!Files.isRegularFile(f)) {
                throw new IOException("MTCNN weights not found: " + f.toAbsolutePath()
                        + " (the Maven build fetches them with scripts/fetch-mtcnn.sh)");
            }
            w[i] = TfliteWeights.read(f);
        }
        NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
        try {
            return new Mtcnn(manager, w, maxPyramidSide);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
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

    // --- networks (inputs [N, 3, x, y], already normalised)

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
    private NDArray[] pnet(NDArray x) {
        Layer[] p = pnet;
        x = prelu(conv(x, p[0]), p[1]);
        x = maxPool(x, 2, true);
        x = prelu(conv(x, p[2]), p[3]);
        x = prelu(conv(x, p[4]), p[5]);
        NDArray prob = conv(x, p[6]).softmax(1).get(":, 1");
        return new NDArray[] {prob, conv(x, p[7]).get(0)};
    }

    /** @return {P(face) [N], regression [N, 4]} */
    private NDArray[] rnet(NDArray x) {
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
    private NDArray[] onet(NDArray x) {
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

    // --- the pipeline

    /** A candidate in the reference's 1-based inclusive pixel coordinates. */
    private static final class Box {
        double x1;
        double y1;
        double x2;
        double y2;
        double score;
        final float[] reg = new float[4];
        double[][] points;

        Box(double x1, double y1, double x2, double y2, double score) {
            this.x1 = x1;
            this.y1 = y1;
            this.x2 = x2;
            this.y2 = y2;
            this.score = score;
        }

        double area() {
            return (x2 - x1 + 1) * (y2 - y1 + 1);
        }
    }

    /** A pyramid level: planar RGB of size w × h at {@code scale} of the original. */
    private record Level(float[][] planes, int w, int h, double scale) {}

    /**
     * PyTorch's intra-op thread count is per calling thread. MTCNN's many small convolutions ran
     * about 12× faster with one thread than with two on this project's 2-core machine (FG-NET
     * median 81 ms vs 1,028 ms), and the service runs several detections in parallel on its own
     * request threads, so each detecting thread uses one.
     */
    private static final ThreadLocal<Boolean> SINGLE_THREADED = ThreadLocal.withInitial(() -> {
        if ("PyTorch".equals(ai.djl.engine.Engine.getDefaultEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        }
        return true;
    });

    @Override
    public List<Face> detect(BufferedImage image, int minFaceSize) {
        SINGLE_THREADED.get();
        if (minFaceSize < 12) {
            throw new IllegalArgumentException("minFaceSize must be at least 12 (P-Net's window), got " + minFaceSize);
        }
        double shrink = 1;
        BufferedImage work = image;
        while (Math.max(work.getWidth(), work.getHeight()) > MAX_WORKING_SIDE) {
            work = ImageOps.halve(work);
            shrink *= 2;
        }
        int w = work.getWidth();
        int h = work.getHeight();
        float[][] planes = Resampler.planes(work);
        int minFace = (int) Math.max(12, Math.round(minFaceSize / shrink));
        Scratch buf = scratch.pollFirst();
        if (buf == null) {
            buf = new Scratch();
        }
        try (NDManager call = manager.newSubManager()) {
            List<Box> boxes = stage1(call, buf, planes, w, h, minFace);
            if (!boxes.isEmpty()) {
                boxes = stage2(call, buf, planes, w, h, boxes);
            }
            if (!boxes.isEmpty()) {
                boxes = stage3(call, buf, planes, w, h, boxes);
            }
            List<Face> faces = new ArrayList<>(boxes.size());
            for (Box b : boxes) {
                double[][] lm = new double[5][2];
                for (int i = 0; i < 5; i++) {
                    lm[i][0] = pixel(b.points[i][0], shrink);
                    lm[i][1] = pixel(b.points[i][1], shrink);
                }
                faces.add(new Face(pixel(b.x1 - 1, shrink), pixel(b.y1 - 1, shrink), (b.x2 - b.x1 + 1) * shrink,
                        (b.y2 - b.y1 + 1) * shrink, b.score, lm));
            }
            faces.sort(Comparator.comparingDouble(Face::area).reversed());
            return faces;
        } finally {
            scratch.offerFirst(buf); // only after the call's tensors, which wrap it, are closed
        }
    }

    private List<Box> stage1(NDManager call, Scratch buf, float[][] planes, int w, int h, int minFaceSize) {
        double m = 12.0 / minFaceSize;
        if (Math.max(w, h) * m > maxPyramidSide) {
            m = (double) maxPyramidSide / Math.max(w, h); // big photo: skip the finest levels, faces < 12/m px
        }
        List<Double> scales = new ArrayList<>();
        for (double minl = Math.min(w, h) * m, s = m; minl >= 12; minl *= PYRAMID_FACTOR, s *= PYRAMID_FACTOR) {
            scales.add(s);
        }
        List<Level> levels = new ArrayList<>();
        Level original = new Level(planes, w, h, 1.0);
        List<Box> all = new ArrayList<>();
        for (double scale : scales) {
            int ws = (int) Math.ceil(w * scale);
            int hs = (int) Math.ceil(h * scale);
            // area-average from the smallest level still at least twice as big: cheap and still a true average
            Level src = original;
            for (int i = levels.size() - 1; i >= 0; i--) {
                if (levels.get(i).scale() >= 2 * scale) {
                    src = levels.get(i);
                    break;
                }
            }
            float[][] lp = Resampler.resample(src.planes(), src.w(), src.h(), 0, 0, src.w(), src.h(), ws, hs);
            levels.add(new Level(lp, ws, hs, scale));

            float[] prob;
            float[] reg;
            int ow;
            int oh;
            try (NDManager lm = call.newSubManager()) {
                ByteBuffer in = buf.input(3 * ws * hs);
                writeTransposed(in.asFloatBuffer(), 0, lp, ws, hs);
                NDArray x = lm.create(in, new Shape(1, 3, ws, hs), DataType.FLOAT32);
                NDArray[] out = pnet(x);
                ow = (int) out[0].getShape().get(1);
                oh = (int) out[0].getShape().get(2);
                prob = out[0].toFloatArray();
                reg = out[1].toFloatArray();
            }
            List<Box> cur = new ArrayList<>();
            int plane = ow * oh;
            for (int i = 0; i < ow; i++) {
                for (int j = 0; j < oh; j++) {
                    float score = prob[i * oh + j];
                    if (score >= THRESHOLDS[0]) {
                        // the 12×12 window of output cell (i, j), stride 2, in 1-based original pixels
                        Box b = new Box(fix((2 * i + 1) / scale), fix((2 * j + 1) / scale),
                                fix((2 * i + 12) / scale), fix((2 * j + 12) / scale), score);
                        for (int k = 0; k < 4; k++) {
                            b.reg[k] = reg[k * plane + i * oh + j];
                        }
                        cur.add(b);
                    }
                }
            }
            all.addAll(nms(cur, 0.5, false));
        }
        List<Box> boxes = nms(all, 0.7, false);
        for (Box b : boxes) {
            double regw = b.x2 - b.x1;
            double regh = b.y2 - b.y1;
            b.x1 += b.reg[0] * regw;
            b.y1 += b.reg[1] * regh;
            b.x2 += b.reg[2] * regw;
            b.y2 += b.reg[3] * regh;
        }
        square(boxes);
        return boxes;
    }

    private List<Box> stage2(NDManager call, Scratch buf, float[][] planes, int w, int h, List<Box> boxes) {
        float[] prob;
        float[] reg;
        try (NDManager sm = call.newSubManager()) {
            NDArray[] out = rnet(crops(sm, buf, planes, w, h, boxes, 24));
            prob = out[0].toFloatArray();
            reg = out[1].toFloatArray();
        }
        List<Box> pass = new ArrayList<>();
        for (int n = 0; n < boxes.size(); n++) {
            if (prob[n] > THRESHOLDS[1]) {
                Box b = boxes.get(n);
                b.score = prob[n];
                System.arraycopy(reg, 4 * n, b.reg, 0, 4);
                pass.add(b);
            }
        }
        pass = nms(pass, 0.7, false);
        for (Box b : pass) {
            bbreg(b);
        }
        square(pass);
        return pass;
    }

    private List<Box> stage3(NDManager call, Scratch buf, float[][] planes, int w, int h, List<Box> boxes) {
        float[] prob;
        float[] reg;
        float[] pts;
        try (NDManager sm = call.newSubManager()) {
            NDArray[] out = onet(crops(sm, buf, planes, w, h, boxes, 48));
            prob = out[0].toFloatArray();
            reg = out[1].toFloatArray();
            pts = out[2].toFloatArray();
        }
        List<Box> pass = new ArrayList<>();
        for (int n = 0; n < boxes.size(); n++) {
            if (prob[n] > THRESHOLDS[2]) {
                Box b = boxes.get(n);
                b.score = prob[n];
                System.arraycopy(reg, 4 * n, b.reg, 0, 4);
                double bw = b.x2 - b.x1 + 1;
                double bh = b.y2 - b.y1 + 1;
                b.points = new double[5][2];
                for (int k = 0; k < 5; k++) {
                    // relative to the (1-based) box; minus 1 gives 0-based pixel coordinates
                    b.points[k][0] = bw * pts[10 * n + k] + b.x1 - 1;
                    b.points[k][1] = bh * pts[10 * n + 5 + k] + b.y1 - 1;
                }
                bbreg(b);
                pass.add(b);
            }
        }
        return nms(pass, 0.7, true);
    }

    /** Crops each (integer, square) box with zero padding outside the image, resized to size × size. */
    private NDArray crops(NDManager m, Scratch scratch, float[][] planes, int w, int h, List<Box> boxes, int size) {
        int n = boxes.size();
        int per = 3 * size * size;
        ByteBuffer buf = scratch.input(n * per);
        java.nio.FloatBuffer fb = buf.asFloatBuffer();
        for (int i = 0; i < n; i++) {
            Box b = boxes.get(i);
            b.x1 = fix(b.x1);
            b.y1 = fix(b.y1);
            b.x2 = fix(b.x2);
            b.y2 = fix(b.y2);
            int cw = (int) (b.x2 - b.x1 + 1);
            int ch = (int) (b.y2 - b.y1 + 1);
            float[][] crop = Resampler.resample(planes, w, h, (int) b.x1 - 1, (int) b.y1 - 1,
                    Math.max(cw, 1), Math.max(ch, 1), size, size);
            writeTransposed(fb, i * per, crop, size, size);
        }
        return m.create(buf, new Shape(n, 3, size, size), DataType.FLOAT32);
    }

    /**
     * Writes planar row-major pixels as one [3, x, y] block normalised to (v − 127.5)/128. Channels
     * in RGB order: with BGR, 41 more of 300 UTKFace crops went undetected and 51 of 813 FG-NET colour photos.
     */
    private static void writeTransposed(java.nio.FloatBuffer dst, int offset, float[][] p, int w, int h) {
        for (int c = 0; c < 3; c++) {
            float[] src = p[c];
            int base = offset + c * w * h;
            for (int x = 0; x < w; x++) {
                int o = base + x * h;
                for (int y = 0; y < h; y++) {
                    dst.put(o + y, (src[y * w + x] - 127.5f) * 0.0078125f);
                }
            }
        }
    }

    /**
     * A direct buffer for one call's network inputs: PyTorch wraps it without copying, and reusing it
     * avoids a fresh direct allocation per call that only the GC would free. Pooled per call rather
     * than per thread, so a server's many request threads do not each keep one.
     */
    private static final class Scratch {
        private ByteBuffer buffer;

        /** The first {@code floats} floats of the buffer (grown if needed); valid until the next call. */
        ByteBuffer input(int floats) {
            int bytes = 4 * floats;
            if (buffer == null || buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocateDirect(Math.max(bytes, 1 << 20)).order(ByteOrder.nativeOrder());
            }
            buffer.clear();
            buffer.limit(bytes);
            return buffer.slice().order(ByteOrder.nativeOrder());
        }
    }

    /** A 0-based pixel coordinate of the halved working image in the original (pixel centres line up). */
    private static double pixel(double v, double shrink) {
        return shrink == 1 ? v : (v + 0.5) * shrink - 0.5;
    }

    private static double fix(double v) {
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }

    private static void bbreg(Box b) {
        double bw = b.x2 - b.x1 + 1;
        double bh = b.y2 - b.y1 + 1;
        b.x1 += b.reg[0] * bw;
        b.y1 += b.reg[1] * bh;
        b.x2 += b.reg[2] * bw;
        b.y2 += b.reg[3] * bh;
    }

    /** Grows each box to a square around its centre (the reference's rerec). */
    private static void square(List<Box> boxes) {
        for (Box b : boxes) {
            double bw = b.x2 - b.x1;
            double bh = b.y2 - b.y1;
            double l = Math.max(bw, bh);
            b.x1 = b.x1 + bw * 0.5 - l * 0.5;
            b.y1 = b.y1 + bh * 0.5 - l * 0.5;
            b.x2 = b.x1 + l;
            b.y2 = b.y1 + l;
        }
    }

    /** Greedy non-maximum suppression, highest score first; overlap by IoU or by intersection/min area. */
    private static List<Box> nms(List<Box> boxes, double threshold, boolean min) {
        List<Box> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble((Box b) -> b.score).reversed());
        boolean[] dropped = new boolean[sorted.size()];
        List<Box> keep = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (dropped[i]) {
                continue;
            }
            Box a = sorted.get(i);
            keep.add(a);
            for (int j = i + 1; j < sorted.size(); j++) {
                if (dropped[j]) {
                    continue;
                }
                Box b = sorted.get(j);
                double iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 1);
                double ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 1);
                double inter = iw * ih;
                double o = min ? inter / Math.min(a.area(), b.area()) : inter / (a.area() + b.area() - inter);
                if (o > threshold) {
                    dropped[j] = true;
                }
            }
        }
        return keep;
    }

    @Override
    public void close() {
        manager.close();
    }
}
