package org.dldlage.train.data;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.dldlage.face.align.Align;
import org.dldlage.face.align.FaceCropper;
import org.dldlage.face.detect.Face;
import org.dldlage.face.align.Framing;
import org.dldlage.face.detect.FaceDetector;
import org.dldlage.face.decode.ImageDecodeException;
import org.dldlage.face.decode.ImageDecoder;
import org.dldlage.face.detect.Mtcnn;

/**
 * The service's detector run once over a data set's images, its largest face per image kept in a
 * text file outside the checkout ({@code CACHE/detections/KEY.tsv}, one line per image, appended as
 * it goes, so an interrupted run resumes). Detection is the costly step of aligned training (tens of
 * ms per photo); warping a cached face onto any template at any size is cheap, so every input size,
 * template and later session reuses one pass.
 */
public final class DetectionCache {

    /** A cached answer: the face, or none (no face, or an unreadable image). */
    public record Entry(int width, int height, Face face) {}

    private static final String NONE = "-";

    private final Path file;
    private final Map<String, Entry> entries = new HashMap<>();

    private DetectionCache(Path file) {
        this.file = file;
    }

    /**
     * The cache for images of {@code imageDir} under a detector identified by {@code detectorId}
     * (its weights and settings: a different detector gets another file).
     */
    public static DetectionCache open(Path cacheRoot, Path imageDir, String detectorId) {
        Path dir = imageDir.toAbsolutePath().normalize();
        String key = sha1(dir + "|" + detectorId).substring(0, 16);
        String name = dir.getParent() == null ? "images" : dir.getParent().getFileName() + "-" + dir.getFileName();
        DetectionCache c = new DetectionCache(cacheRoot.resolve("detections").resolve(name + "-" + key + ".tsv"));
        c.read();
        return c;
    }

    /** The cache root of the trainer and the report profile: {@code configured}, else ~/.cache/dldl-age. */
    public static Path root(Path configured) {
        return configured != null ? configured : Path.of(System.getProperty("user.home"), ".cache", "dldl-age");
    }

    /**
     * The service's detection ({@link FaceCropper#detectInCrop} with MTCNN's default minimum face) over the
     * images, cached under {@link #mtcnnId()}: what the trainer and the report profile both prepare faces from.
     */
    public static DetectionCache mtcnn(Path cacheRoot, Path imageDir, List<Path> images, Mtcnn mtcnn, Consumer<String> log) {
        DetectionCache cache = open(cacheRoot, imageDir, mtcnnId());
        cache.fill(images, img -> FaceCropper.detectInCrop(mtcnn, img, FaceDetector.DEFAULT_MIN_FACE_SIZE),
                Math.max(1, Runtime.getRuntime().availableProcessors()), log);
        return cache;
    }

    private void read() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length < 4) {
                    continue; // a line cut by a kill: detected again
                }
                int w = Integer.parseInt(f[1]);
                int h = Integer.parseInt(f[2]);
                if (f[3].equals(NONE)) {
                    entries.put(f[0], new Entry(w, h, null));
                    continue;
                }
                String[] v = f[3].split(" ");
                if (v.length != 15) {
                    continue;
                }
                double[] d = new double[15];
                for (int i = 0; i < 15; i++) {
                    d[i] = Double.parseDouble(v[i]);
                }
                double[][] lm = new double[5][2];
                for (int i = 0; i < 5; i++) {
                    lm[i][0] = d[5 + 2 * i];
                    lm[i][1] = d[6 + 2 * i];
                }
                entries.put(f[0], new Entry(w, h, new Face(d[0], d[1], d[2], d[3], d[4], lm)));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("detection cache " + file + " is unreadable (" + e.getMessage() + "): delete it to detect again");
        }
    }

    public Path file() {
        return file;
    }

    /** The cached answer for an image, if it was detected before. */
    public Optional<Entry> get(Path image) {
        return Optional.ofNullable(entries.get(image.getFileName().toString()));
    }

    /**
     * Detects every image not in the cache yet, on {@code threads} threads, appending as it goes.
     *
     * @param detect the detection the service applies to a decoded image (largest face first)
     */
    public void fill(List<Path> images, java.util.function.Function<BufferedImage, List<Face>> detect, int threads,
            Consumer<String> log) {
        List<Path> todo = new ArrayList<>();
        for (Path p : images) {
            if (!entries.containsKey(p.getFileName().toString())) {
                todo.add(p);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        log.accept(String.format("detecting faces in %d of %d images (cache %s)", todo.size(), images.size(), file));
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ImageDecoder decoder = new ImageDecoder();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            List<Future<?>> futures = new ArrayList<>();
            for (Path p : todo) {
                futures.add(pool.submit(() -> {
                    Entry e;
                    try {
                        BufferedImage img = decoder.decode(Files.readAllBytes(p));
                        List<Face> faces = detect.apply(img);
                        e = new Entry(img.getWidth(), img.getHeight(), faces.isEmpty() ? null : faces.get(0));
                    } catch (IOException | ImageDecodeException ex) {
                        e = new Entry(0, 0, null);
                    }
                    String line = p.getFileName() + "\t" + format(e) + "\n";
                    synchronized (this) {
                        entries.put(p.getFileName().toString(), e);
                        try {
                            out.write(line);
                            if (done.incrementAndGet() % 500 == 0) {
                                out.flush();
                                log.accept(String.format("  %d/%d detected (%.0f img/s)", done.get(), todo.size(),
                                        done.get() / ((System.nanoTime() - t0) / 1e9)));
                            }
                        } catch (IOException io) {
                            throw new UncheckedIOException(io);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while detecting faces", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("face detection failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        log.accept(String.format("  %d images detected in %.0f s", todo.size(), (System.nanoTime() - t0) / 1e9));
    }

    /**
     * How a cached image becomes the network's input: decode, then cut the cached face out with
     * {@code framing} (null for an image without a face; unreadable images throw).
     */
    public FaceCache.Preparer preparer(Framing framing) {
        ImageDecoder decoder = new ImageDecoder();
        return image -> {
            Entry e = get(image).orElseThrow(() -> new IOException("not detected: " + image));
            if (e.width() == 0) {
                throw new IOException("unreadable: " + image);
            }
            if (framing.mode() == Align.NONE) { // a face crop: its own face, else the crop as sent (never dropped)
                return framing.crop(decoder.decode(Files.readAllBytes(image)), FaceCropper.ownFace(e.face(), e.width(), e.height()));
            }
            return e.face() == null ? null : framing.crop(decoder.decode(Files.readAllBytes(image)), e.face());
        };
    }

    /** How many of {@code images} (all detected) are face crops whose own face was found ({@link FaceCropper#ownFace}). */
    public int ownFaces(List<Path> images) {
        int n = 0;
        for (Path p : images) {
            Entry e = entries.get(p.getFileName().toString());
            if (e != null && FaceCropper.ownFace(e.face(), e.width(), e.height()) != null) {
                n++;
            }
        }
        return n;
    }

    /** The identity of the service's detection as the trainer and reports run it (weights and settings). */
    public static String mtcnnId() {
        long weights;
        try {
            weights = Files.size(Mtcnn.defaultDir().resolve("pnet.tflite")) * 31
                    + Files.size(Mtcnn.defaultDir().resolve("onet.tflite"));
        } catch (IOException e) {
            weights = 0;
        }
        return "mtcnn:" + FaceDetector.DEFAULT_MIN_FACE_SIZE + ":" + Mtcnn.DEFAULT_MAX_PYRAMID_SIDE + ":pad"
                + FaceCropper.CROP_PADDING + ":" + Long.toHexString(weights);
    }

    private static String format(Entry e) {
        if (e.face() == null) {
            return e.width() + "\t" + e.height() + "\t" + NONE;
        }
        Face f = e.face();
        // every digit (Double.toString reads back exactly): rounded landmarks would warp trained faces unlike served ones
        StringBuilder b = new StringBuilder(e.width() + "\t" + e.height() + "\t" + f.x() + " " + f.y() + " " + f.width() + " "
                + f.height() + " " + f.score());
        for (double[] p : f.landmarks()) {
            b.append(' ').append(p[0]).append(' ').append(p[1]);
        }
        return b.toString();
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
