package org.dldlage.face.decode;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.dldlage.face.decode.ImageDecodeException.Reason;

/**
 * Uploaded bytes to an upright RGB image ({@code TYPE_INT_RGB}), with bounded work.
 *
 * <ul>
 *   <li>Formats: JPEG (also CMYK/YCCK and greyscale, through the TwelveMonkeys reader), PNG, BMP,
 *       GIF (first frame) and WebP (TwelveMonkeys). Anything else, TIFF included, is refused.
 *   <li>The header's dimensions are read first: an image announcing more than {@code maxPixels}
 *       pixels is refused before its raster is decoded (a decompression bomb costs nothing).
 *   <li>EXIF orientation (phone photos) is applied, read with metadata-extractor.
 *   <li>Transparency is flattened onto white: a cut-out face on white looks like a studio photo,
 *       whereas black would darken the skin tones the age model sees near the face's edge.
 *   <li>Greyscale stays grey: samples are copied to R=G=B as stored, without a colour-space
 *       conversion that would brighten them.
 * </ul>
 *
 * Thread-safe (no mutable state).
 */
public final class ImageDecoder {

    /** 40 megapixels: any phone camera, far below what fits in memory twice. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** MTCNN's smallest window is 12 px; below 16 px nothing can be found or estimated. */
    public static final int DEFAULT_MIN_SIDE = 16;

    private static final Set<String> FORMATS = Set.of("jpeg", "png", "bmp", "gif", "webp");

    static {
        // in a Spring Boot jar the TwelveMonkeys plugins sit in nested jars that ImageIO's first,
        // automatic scan may not see; scanning again with this thread's class loader registers them
        ImageIO.scanForPlugins();
    }

    /** The installed readers of the allowed formats, in ImageIO's order (TwelveMonkeys' JPEG reader first). */
    private static final List<ImageReaderSpi> READERS = allowedReaders();

    private final long maxPixels;
    private final int minSide;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_MIN_SIDE);
    }

    public ImageDecoder(long maxPixels, int minSide) {
        if (maxPixels < 1 || minSide < 1) {
            throw new IllegalArgumentException("maxPixels and minSide must be positive");
        }
        this.maxPixels = maxPixels;
        this.minSide = minSide;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public BufferedImage decode(byte[] bytes) throws ImageDecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(Reason.UNREADABLE, "empty image");
        }
        BufferedImage raw = read(bytes);
        BufferedImage rgb = toRgb(raw);
        return orient(rgb, orientation(bytes));
    }

    /** Signatures of image formats this service does not decode: TIFF, HEIF/AVIF, JPEG 2000, ICO, PSD. */
    static boolean otherImageFormat(byte[] b) {
        return starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)
                || (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p')
                || starts(b, 0, 0, 0, 12, 'j', 'P') || starts(b, 0xFF, 0x4F, 0xFF, 0x51)
                || starts(b, 0, 0, 1, 0) || starts(b, '8', 'B', 'P', 'S');
    }

    private static boolean starts(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private BufferedImage read(byte[] bytes) throws ImageDecodeException {
        // read in place: ImageIO.createImageInputStream would copy a stream through a temporary file
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            ImageReader reader = reader(in);
            if (reader == null) {
                // a recognisable image we cannot decode is unsupported (415); anything else is not an image (400)
                if (otherImageFormat(bytes)) {
                    throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT,
                            "not a supported image format (JPEG, PNG, BMP, GIF or WebP)");
                }
                throw new ImageDecodeException(Reason.UNREADABLE, "not an image (no JPEG, PNG, BMP, GIF or WebP signature)");
            }
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                long w;
                long h;
                try {
                    w = reader.getWidth(0);
                    h = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageDecodeException(Reason.UNREADABLE, "unreadable " + format + " header", e);
                }
                if (w * h > maxPixels) {
                    throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, "image of " + w + "x" + h
                            + " pixels is larger than the " + maxPixels + "-pixel limit");
                }
                if (Math.min(w, h) < minSide) {
                    throw new ImageDecodeException(Reason.TOO_SMALL,
                            "image of " + w + "x" + h + " pixels is too small (at least " + minSide + " px a side)");
                }
                AtomicReference<String> truncated = new AtomicReference<>();
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        // the JPEG decoder only warns on missing data and fills the rest with grey
                        if (warning != null && warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                            truncated.set(warning);
                        }
                    }
                });
                BufferedImage image;
                try {
                    image = reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageDecodeException(Reason.UNREADABLE,
                            "corrupt or truncated " + format + " data", e);
                }
                if (truncated.get() != null) {
                    throw new ImageDecodeException(Reason.UNREADABLE, "truncated " + format + " data");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageDecodeException(Reason.UNREADABLE, "unreadable image", e);
        }
    }

    private static List<ImageReaderSpi> allowedReaders() {
        List<ImageReaderSpi> readers = new ArrayList<>();
        Iterator<ImageReaderSpi> all = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
        while (all.hasNext()) {
            ImageReaderSpi spi = all.next();
            for (String name : spi.getFormatNames()) {
                if (FORMATS.contains(name.toLowerCase(Locale.ROOT))) {
                    readers.add(spi);
                    break;
                }
            }
        }
        return List.copyOf(readers);
    }

    /** A reader of the first allowed format that recognises the input (skips e.g. WBMP, whose sniffing accepts junk). */
    private static ImageReader reader(ImageInputStream in) throws IOException {
        for (ImageReaderSpi spi : READERS) {
            in.mark();
            boolean recognised;
            try {
                recognised = spi.canDecodeInput(in);
            } finally {
                in.reset();
            }
            if (recognised) {
                return spi.createReaderInstance();
            }
        }
        return null;
    }

    /** EXIF orientation 1..8, or 1 when there is none or it cannot be read. */
    static int orientation(byte[] bytes) {
        try {
            // a JPEG's EXIF segment alone: parsing all its metadata cost as much as a third of decoding a small photo
            Metadata metadata = starts(bytes, 0xFF, 0xD8)
                    ? JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes), List.of(new ExifReader()))
                    : ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            for (ExifIFD0Directory dir : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    int o = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                    return o >= 1 && o <= 8 ? o : 1;
                }
            }
        } catch (Exception e) {
            // broken or absent metadata: the pixels are still usable as stored
        }
        return 1;
    }

    /** Any decoded image as TYPE_INT_RGB: alpha over white, grey samples copied as they are. */
    static BufferedImage toRgb(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Raster r = src.getRaster();
        if (src.getType() == BufferedImage.TYPE_3BYTE_BGR && r.getParent() == null && r.getDataBuffer().getOffset() == 0
                && ((DataBufferByte) r.getDataBuffer()).getData().length == 3 * w * h) {
            // what a colour JPEG decodes to: copied directly, several times faster than drawImage
            byte[] bgr = ((DataBufferByte) r.getDataBuffer()).getData();
            int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
            for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
                rgb[i] = (bgr[j + 2] & 0xff) << 16 | (bgr[j + 1] & 0xff) << 8 | (bgr[j] & 0xff);
            }
            return out;
        }
        int bands = r.getNumBands();
        boolean grey = src.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && (bands == 1 || bands == 2) && r.getSampleModel().getSampleSize(0) <= 16;
        if (grey) {
            int max = (1 << r.getSampleModel().getSampleSize(0)) - 1;
            int[] g = new int[w];
            int[] a = new int[w];
            int[] rgb = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, g);
                if (bands == 2) {
                    r.getSamples(0, y, w, 1, 1, a);
                }
                for (int x = 0; x < w; x++) {
                    int v = g[x] * 255 / max;
                    if (bands == 2) {
                        int al = a[x] * 255 / max;
                        v = (v * al + 255 * (255 - al) + 127) / 255;
                    }
                    rgb[x] = (v << 16) | (v << 8) | v;
                }
                out.setRGB(0, y, w, 1, rgb, 0, w);
            }
            return out;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Applies EXIF orientation (1 = as stored) so the result is upright. */
    static BufferedImage orient(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] in = src.getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[ow * oh];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int nx;
                int ny;
                switch (orientation) {
                    case 2 -> { nx = w - 1 - x; ny = y; }           // mirrored
                    case 3 -> { nx = w - 1 - x; ny = h - 1 - y; }   // rotated 180
                    case 4 -> { nx = x; ny = h - 1 - y; }           // mirrored vertically
                    case 5 -> { nx = y; ny = x; }                   // transposed
                    case 6 -> { nx = h - 1 - y; ny = x; }           // stored rotated 90 ccw: turn cw
                    case 7 -> { nx = h - 1 - y; ny = w - 1 - x; }   // transversed
                    default -> { nx = y; ny = w - 1 - x; }          // 8: stored rotated 90 cw: turn ccw
                }
                out[ny * ow + nx] = in[y * w + x];
            }
        }
        BufferedImage o = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        o.setRGB(0, 0, ow, oh, out, 0, ow);
        return o;
    }
}
