package org.dldlage.inference;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The JDK's ImageIO readers behind {@link PhotoDecoder}: JPEG, PNG, BMP, GIF (first frame). The
 * size is read from the header first, so a decompression bomb is refused before its raster is
 * allocated. EXIF orientation is not applied here (the face package's decoder does).
 */
public final class ImageIoPhotoDecoder implements PhotoDecoder {

    private final long maxPixels;
    private final int minSide;

    /**
     * @param maxPixels largest width × height accepted
     * @param minSide smallest width or height accepted
     */
    public ImageIoPhotoDecoder(long maxPixels, int minSide) {
        this.maxPixels = maxPixels;
        this.minSide = minSide;
    }

    @Override
    public BufferedImage decode(byte[] bytes) throws PhotoDecodeException {
        // in memory: ImageIO's default would spool every upload to a temporary file first
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                String known = knownUnsupported(bytes);
                if (known != null) {
                    throw new PhotoDecodeException(PhotoDecodeException.Reason.UNSUPPORTED_FORMAT,
                            known + " images are not supported (send JPEG, PNG, BMP or GIF)");
                }
                throw new PhotoDecodeException(PhotoDecodeException.Reason.UNREADABLE,
                        "the bytes are not an image in a known format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > maxPixels) {
                    throw new PhotoDecodeException(PhotoDecodeException.Reason.TOO_MANY_PIXELS,
                            "the image is " + w + "×" + h + " = " + w * h + " pixels, more than the limit of " + maxPixels);
                }
                if (Math.min(w, h) < minSide) {
                    throw new PhotoDecodeException(PhotoDecodeException.Reason.TOO_SMALL,
                            "the image is " + w + "×" + h + " pixels; each side needs at least " + minSide);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new PhotoDecodeException(PhotoDecodeException.Reason.UNREADABLE,
                    "the image cannot be decoded (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    /** Formats recognised by their magic bytes that the JDK cannot read. */
    private static String knownUnsupported(byte[] b) {
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return "WebP";
        }
        if (b.length >= 12 && ascii(b, 4, 4).equals("ftyp")) {
            return "HEIF/AVIF";
        }
        return null;
    }

    private static String ascii(byte[] b, int from, int n) {
        return new String(b, from, n, StandardCharsets.ISO_8859_1);
    }
}
