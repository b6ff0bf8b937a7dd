package org.dldlage.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.dldlage.face.ImageOps;

/**
 * Decodes each image once and keeps its S×S RGB bytes in memory, so epochs never re-decode JPEGs.
 * Images that cannot be decoded are dropped and counted.
 */
public final class FaceCache {

    private final List<LabelledFaces.Sample> samples = new ArrayList<>();
    private final List<byte[]> pixels = new ArrayList<>();
    private final int size;
    private final int unreadable;

    /** Decodes in parallel; the preparation is {@link ImageOps#resizeCentreCrop}, as at test time. */
    public FaceCache(List<LabelledFaces.Sample> input, int size) {
        this.size = size;
        byte[][] decoded = new byte[input.size()][];
        AtomicInteger bad = new AtomicInteger();
        IntStream.range(0, input.size()).parallel().forEach(i -> {
            try {
                BufferedImage img = ImageIO.read(input.get(i).file().toFile());
                if (img == null || img.getWidth() < 2 || img.getHeight() < 2) {
                    bad.incrementAndGet();
                } else {
                    decoded[i] = ImageOps.resizeCentreCrop(img, size);
                }
            } catch (IOException | RuntimeException e) {
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

    /** Bytes held by the decoded pixels. */
    public long bytes() {
        return (long) pixels.size() * size * size * 3;
    }
}
