package org.dldlage.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.dldlage.face.align.Align;
import org.dldlage.face.align.FaceAligner;
import org.dldlage.face.align.FaceCropper;
import org.dldlage.face.align.Framing;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.decode.ImageDecodeException;
import org.dldlage.face.decode.ImageDecoder;

/**
 * Decodes (and, with a detector, aligns) each image once and keeps its S×S RGB bytes in memory, so
 * epochs never re-decode JPEGs. Images that cannot be decoded, and photos without a face, are
 * dropped and counted.
 */
public final class FaceCache {

    /** Turns an image file into the S×S RGB face the model sees; null when the photo has no face. */
    @FunctionalInterface
    public interface Preparer {
        byte[] prepare(Path file) throws IOException, ImageDecodeException;
    }

    private final List<LabelledFaces.Sample> samples = new ArrayList<>();
    private final List<byte[]> pixels = new ArrayList<>();
    private final int size;
    private final int unreadable;
    private final int noFace;

    /** Face crops resized as at test time (scale the shorter side to S, centre crop). */
    public FaceCache(List<LabelledFaces.Sample> input, int size) {
        this(input, size, preparer(null, Align.NONE, null, size));
    }

    public FaceCache(List<LabelledFaces.Sample> input, int size, Preparer preparer) {
        this.size = size;
        byte[][] decoded = new byte[input.size()][];
        AtomicInteger bad = new AtomicInteger();
        AtomicInteger faceless = new AtomicInteger();
        IntStream.range(0, input.size()).parallel().forEach(i -> {
            try {
                decoded[i] = preparer.prepare(input.get(i).file());
                if (decoded[i] == null) {
                    faceless.incrementAndGet();
                }
            } catch (IOException | ImageDecodeException | RuntimeException e) {
                bad.incrementAndGet();
            }
        });
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] != null) {
                samples.add(input.get(i));
                pixels.add(decoded[i]);
            }
        }
        this.unreadable = bad.get();
        this.noFace = faceless.get();
    }

    private FaceCache(int size, int unreadable, int noFace) {
        this.size = size;
        this.unreadable = unreadable;
        this.noFace = noFace;
    }

    /** The faces of several caches of one size, in order (no pixels are copied). */
    public static FaceCache concat(List<FaceCache> parts) {
        FaceCache out = new FaceCache(parts.get(0).size, parts.stream().mapToInt(FaceCache::unreadable).sum(),
                parts.stream().mapToInt(FaceCache::noFace).sum());
        for (FaceCache c : parts) {
            if (c.size != out.size) {
                throw new IllegalArgumentException("faces of " + c.size + " and " + out.size + " px cannot be mixed");
            }
            out.samples.addAll(c.samples);
            out.pixels.addAll(c.pixels);
        }
        return out;
    }

    /**
     * The standard preparation: decode (EXIF orientation honoured), then {@code none} (resize the
     * crop), {@code box} or {@code mtcnn} (largest detected face, warped onto {@code template}).
     */
    public static Preparer preparer(FaceDetector detector, Align align, double[][] template, int size) {
        ImageDecoder decoder = new ImageDecoder();
        FaceCropper cropper = new FaceCropper(detector, new Framing(align, size, template, FaceAligner.DEFAULT_BOX_MARGIN),
                FaceDetector.DEFAULT_MIN_FACE_SIZE);
        return file -> {
            var crops = cropper.crops(decoder.decode(Files.readAllBytes(file)), 1);
            return crops.isEmpty() ? null : crops.get(0).rgb();
        };
    }

    public int size() {
        return pixels.size();
    }

    public int inputSize() {
        return size;
    }

    public LabelledFaces.Sample sample(int i) {
        return samples.get(i);
    }

    /** S·S·3 RGB bytes of image i; do not modify. */
    public byte[] pixels(int i) {
        return pixels.get(i);
    }

    public int unreadable() {
        return unreadable;
    }

    /** Photos in which the detector found no face. */
    public int noFace() {
        return noFace;
    }

    /** Bytes held by the decoded pixels. */
    public long bytes() {
        return (long) pixels.size() * size * size * 3;
    }
}
