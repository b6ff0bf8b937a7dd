package org.dldlage.face.detect;

import org.dldlage.face.ImageOps;
import org.dldlage.face.Resampler;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * MTCNN (Zhang et al. 2016) on the DJL PyTorch engine: P-Net over an image pyramid, R-Net and O-Net
 * on the candidates, each stage followed by non-maximum suppression and box regression; O-Net gives
 * the five landmarks. The weights are the original Caffe/MATLAB ones as converted to TFLite
 * ({@link MtcnnNets}); the pipeline follows the reference implementation (as in facenet's port),
 * including its 1-based box arithmetic ({@link Box}), and converts to 0-based pixels at the end.
 *
 * <p>The MATLAB-trained networks see images transposed: every input tensor here is laid out as
 * [N, C, x, y] (width before height), so outputs come back indexed by (x, y) too.
 *
 * <p>Thread-safe: the weights are read-only and each call works in its own NDManager.
 */
public final class Mtcnn implements FaceDetector, AutoCloseable {

    /** Where the build's fetch script puts pnet/rnet/onet.tflite, relative to the working directory. */
    public static final String DEFAULT_DIR_NAME = "model-store/mtcnn";
    public static final Path DEFAULT_DIR = Path.of(DEFAULT_DIR_NAME);
    /**
     * The weights folder's one setting, {@code age.detection.mtcnn-dir}: the service binds it, and
     * outside Spring (the tools' data code, tests) it is read as a system property, which the
     * wiring also sets from Spring's environment.
     */
    public static final String DIR_PROPERTY = "age.detection.mtcnn-dir";
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
    private final MtcnnNets nets;
    private final int maxPyramidSide;
    /** Input buffers of finished calls, for the next ones: as many as calls ever ran at once. */
    private final java.util.concurrent.ConcurrentLinkedDeque<MtcnnInput> scratch =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

    private Mtcnn(NDManager manager, TfliteWeights[] w, int maxPyramidSide) {
        this.manager = manager;
        this.maxPyramidSide = maxPyramidSide;
        this.nets = new MtcnnNets(manager, w);
    }

    // --- loading

    /** Loads from {@code age.detection.mtcnn-dir} or {@link #DEFAULT_DIR}. */
    public static Mtcnn load() throws IOException {
        return load(defaultDir(), null, DEFAULT_MAX_PYRAMID_SIDE);
    }

    /** The weights folder: {@code age.detection.mtcnn-dir} if set, else {@link #DEFAULT_DIR}. */
    public static Path defaultDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        return dir == null || dir.isBlank() ? DEFAULT_DIR : Path.of(dir);
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

    // --- the pipeline

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
        if (minFaceSize < MIN_FACE_SIZE) {
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
        MtcnnInput buf = scratch.pollFirst();
        if (buf == null) {
            buf = new MtcnnInput();
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

    private List<Box> stage1(NDManager call, MtcnnInput buf, float[][] planes, int w, int h, int minFaceSize) {
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
                MtcnnInput.writeTransposed(in.asFloatBuffer(), 0, lp, ws, hs);
                NDArray x = lm.create(in, new Shape(1, 3, ws, hs), DataType.FLOAT32);
                NDArray[] out = nets.pnet(x);
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
                        Box b = new Box(Box.fix((2 * i + 1) / scale), Box.fix((2 * j + 1) / scale),
                                Box.fix((2 * i + 12) / scale), Box.fix((2 * j + 12) / scale), score);
                        for (int k = 0; k < 4; k++) {
                            b.reg[k] = reg[k * plane + i * oh + j];
                        }
                        cur.add(b);
                    }
                }
            }
            all.addAll(Box.nms(cur, 0.5, false));
        }
        List<Box> boxes = Box.nms(all, 0.7, false);
        for (Box b : boxes) {
            double regw = b.x2 - b.x1;
            double regh = b.y2 - b.y1;
            b.x1 += b.reg[0] * regw;
            b.y1 += b.reg[1] * regh;
            b.x2 += b.reg[2] * regw;
            b.y2 += b.reg[3] * regh;
        }
        Box.square(boxes);
        return boxes;
    }

    private List<Box> stage2(NDManager call, MtcnnInput buf, float[][] planes, int w, int h, List<Box> boxes) {
        float[] prob;
        float[] reg;
        try (NDManager sm = call.newSubManager()) {
            NDArray[] out = nets.rnet(crops(sm, buf, planes, w, h, boxes, 24));
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
        pass = Box.nms(pass, 0.7, false);
        for (Box b : pass) {
            b.regress();
        }
        Box.square(pass);
        return pass;
    }

    private List<Box> stage3(NDManager call, MtcnnInput buf, float[][] planes, int w, int h, List<Box> boxes) {
        float[] prob;
        float[] reg;
        float[] pts;
        try (NDManager sm = call.newSubManager()) {
            NDArray[] out = nets.onet(crops(sm, buf, planes, w, h, boxes, 48));
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
                b.regress();
                pass.add(b);
            }
        }
        return Box.nms(pass, 0.7, true);
    }

    /** Crops each (integer, square) box with zero padding outside the image, resized to size × size. */
    private NDArray crops(NDManager m, MtcnnInput scratch, float[][] planes, int w, int h, List<Box> boxes, int size) {
        int n = boxes.size();
        int per = 3 * size * size;
        ByteBuffer buf = scratch.input(n * per);
        java.nio.FloatBuffer fb = buf.asFloatBuffer();
        for (int i = 0; i < n; i++) {
            Box b = boxes.get(i);
            b.x1 = Box.fix(b.x1);
            b.y1 = Box.fix(b.y1);
            b.x2 = Box.fix(b.x2);
            b.y2 = Box.fix(b.y2);
            int cw = (int) (b.x2 - b.x1 + 1);
            int ch = (int) (b.y2 - b.y1 + 1);
            float[][] crop = Resampler.resample(planes, w, h, (int) b.x1 - 1, (int) b.y1 - 1,
                    Math.max(cw, 1), Math.max(ch, 1), size, size);
            MtcnnInput.writeTransposed(fb, i * per, crop, size, size);
        }
        return m.create(buf, new Shape(n, 3, size, size), DataType.FLOAT32);
    }

    /** A 0-based pixel coordinate of the halved working image in the original (pixel centres line up). */
    private static double pixel(double v, double shrink) {
        return shrink == 1 ? v : (v + 0.5) * shrink - 0.5;
    }

    @Override
    public void close() {
        manager.close();
    }
}
