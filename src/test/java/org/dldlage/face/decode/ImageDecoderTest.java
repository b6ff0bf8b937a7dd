package org.dldlage.face.decode;

import org.dldlage.face.FaceTestData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;
import org.dldlage.face.decode.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    private static byte[] fgnetJpeg() throws IOException {
        return Files.readAllBytes(FaceTestData.fgnetSample(1, 1).get(0)); // 001A02.JPG, a greyscale JPEG
    }

    private static Reason reason(ImageDecoder d, byte[] bytes) {
        return assertThrows(ImageDecodeException.class, () -> d.decode(bytes)).reason();
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    @Test
    void aOneByOneImageIsTooSmall() throws IOException {
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(png));
        assertEquals(Reason.TOO_SMALL, e.reason());
        assertTrue(e.getMessage().contains("1x1"), e.getMessage());
    }

    @Test
    void aTruncatedJpegIsUnreadable() throws IOException {
        byte[] jpeg = fgnetJpeg();
        assertEquals(Reason.UNREADABLE, reason(decoder, Arrays.copyOf(jpeg, jpeg.length / 2)));
        assertEquals(Reason.UNREADABLE, reason(decoder, Arrays.copyOf(jpeg, 300))); // inside the header
        assertEquals(Reason.UNREADABLE, reason(decoder, new byte[0]));
    }

    @Test
    void aHeaderClaimingTenGigapixelsIsRefusedBeforeDecoding() {
        // a PNG with only its IHDR chunk: 100,000 × 100,000 pixels announced, no pixel data at all
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(100_000).putInt(100_000)
                .put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        ImageDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(ImageDecodeException.class, () -> decoder.decode(png.array())));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
    }

    @Test
    void thePixelLimitIsConfigurable() throws IOException {
        byte[] jpeg = fgnetJpeg(); // 321 × 386
        assertEquals(Reason.TOO_MANY_PIXELS, reason(new ImageDecoder(100_000, 16), jpeg));
        assertDoesNotThrow(() -> new ImageDecoder(321 * 386, 16).decode(jpeg));
    }

    private static void assertDoesNotThrow(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
    }

    @Test
    void otherImageFormatsAreUnsupportedAndJunkIsUnreadable() throws IOException {
        assertEquals(Reason.UNREADABLE, reason(decoder, "hello, this is text, not a picture".getBytes()));
        byte[] tiff = encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "tiff");
        assertEquals(Reason.UNSUPPORTED_FORMAT, reason(decoder, tiff));
    }

    @Test
    void cmykJpegIsDecodedAndWebpHasAReader() throws Exception {
        new ImageDecoder(); // registers the plugins
        assertTrue(ImageIO.getImageReadersByFormatName("webp").hasNext(), "a WebP reader is installed");
        // a 4-channel (CMYK) JPEG, which the JDK's own reader refuses
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 64, 48, 4, null);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int q = x / 16;
                cmyk.setPixel(x, y, q == 0 ? new int[] {0, 255, 255, 0} : q == 1 ? new int[] {255, 0, 0, 0}
                        : q == 2 ? new int[] {0, 0, 0, 255} : new int[] {0, 0, 0, 0});
            }
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        BufferedImage rgb = decoder.decode(out.toByteArray());
        assertEquals(64, rgb.getWidth());
        assertEquals(48, rgb.getHeight());
        // without an Adobe marker the channels' meaning is a guess, but full black ink must come out dark
        int black = rgb.getRGB(2 * 16 + 8, 24);
        int none = rgb.getRGB(3 * 16 + 8, 24);
        assertTrue(brightness(black) + 200 < brightness(none), String.format("%06x vs %06x", black, none));
    }

    @Test
    void greyscaleJpegKeepsItsSamples() throws Exception {
        byte[] jpeg = fgnetJpeg();
        BufferedImage raw = ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
        assertEquals(1, raw.getRaster().getNumBands());
        BufferedImage rgb = decoder.decode(jpeg);
        assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
        for (int[] xy : new int[][] {{10, 10}, {160, 190}, {300, 380}}) {
            int v = raw.getRaster().getSample(xy[0], xy[1], 0);
            assertEquals((v << 16) | (v << 8) | v, rgb.getRGB(xy[0], xy[1]) & 0xffffff);
        }
    }

    @Test
    void pngBmpAndGifDecodeLikeTheSource() throws Exception {
        BufferedImage src = decoder.decode(fgnetJpeg());
        for (String format : List.of("png", "bmp", "gif")) {
            BufferedImage back = decoder.decode(encode(src, format));
            assertEquals(src.getWidth(), back.getWidth(), format);
            assertEquals(src.getHeight(), back.getHeight(), format);
            assertEquals(src.getRGB(160, 190) & 0xff, back.getRGB(160, 190) & 0xff, 2, format);
        }
    }

    @Test
    void transparencyIsFlattenedOntoWhite() throws Exception {
        BufferedImage argb = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(5, 5, 0xff102030); // opaque
        argb.setRGB(6, 6, 0x80000000); // half-transparent black
        BufferedImage rgb = decoder.decode(encode(argb, "png"));
        assertEquals(0xffffff, rgb.getRGB(0, 0) & 0xffffff); // fully transparent
        assertEquals(0x102030, rgb.getRGB(5, 5) & 0xffffff);
        int half = rgb.getRGB(6, 6) & 0xff;
        assertTrue(half > 110 && half < 145, "half-transparent black over white is mid grey: " + half);
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        BufferedImage upright = decoder.decode(fgnetJpeg());
        // store the photo turned 90° counter-clockwise and say so in EXIF (6: turn clockwise to view)
        BufferedImage stored = ImageDecoder.orient(upright, 8);
        // turned counter-clockwise: the upright photo's top-right corner is now top-left
        assertEquals(upright.getRGB(upright.getWidth() - 1, 0), stored.getRGB(0, 0));
        assertEquals(upright.getRGB(0, 0), stored.getRGB(0, stored.getHeight() - 1));
        byte[] plain = encode(stored, "jpeg");
        TiffOutputSet exif = new TiffOutputSet();
        exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) 6);
        ByteArrayOutputStream tagged = new ByteArrayOutputStream();
        new ExifRewriter().updateExifMetadataLossless(plain, tagged, exif);

        assertEquals(6, ImageDecoder.orientation(tagged.toByteArray()));
        BufferedImage read = decoder.decode(tagged.toByteArray());
        assertEquals(upright.getWidth(), read.getWidth());
        assertEquals(upright.getHeight(), read.getHeight());
        assertTrue(meanAbsDiff(upright, read) < 4, "decoded image matches the upright photo");
        BufferedImage ignored = decoder.decode(plain); // the same pixels without the tag stay sideways
        assertEquals(upright.getHeight(), ignored.getWidth());
    }

    @Test
    void threeByteBgrIsCopiedLikeAnyOtherImage() {
        BufferedImage bgr = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
        for (int i = 0; i < 35; i++) {
            bgr.setRGB(i % 7, i / 7, 0x010203 * (i + 1) ^ (i << 20));
        }
        BufferedImage rgb = ImageDecoder.toRgb(bgr);
        assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
        for (int i = 0; i < 35; i++) {
            assertEquals(bgr.getRGB(i % 7, i / 7) & 0xffffff, rgb.getRGB(i % 7, i / 7) & 0xffffff, "pixel " + i);
        }
        BufferedImage part = bgr.getSubimage(1, 1, 4, 3); // shares the parent's raster: the general path
        assertEquals(bgr.getRGB(2, 2) & 0xffffff, ImageDecoder.toRgb(part).getRGB(1, 1) & 0xffffff);
    }

    @Test
    void allEightOrientationsUndoTheirTransform() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 6; i++) {
            img.setRGB(i % 3, i / 3, i + 1);
        }
        // stored = how the camera wrote an upright scene for each tag; orient() must bring back img
        assertEquals(Arrays.toString(pixels(img)), Arrays.toString(pixels(ImageDecoder.orient(img, 1))));
        assertEquals(Arrays.toString(pixels(img)),
                Arrays.toString(pixels(ImageDecoder.orient(ImageDecoder.orient(img, 8), 6))));
        assertEquals(Arrays.toString(pixels(img)),
                Arrays.toString(pixels(ImageDecoder.orient(ImageDecoder.orient(img, 3), 3))));
        for (int o : new int[] {2, 4, 5, 7}) { // mirrors are their own inverse
            assertEquals(Arrays.toString(pixels(img)),
                    Arrays.toString(pixels(ImageDecoder.orient(ImageDecoder.orient(img, o), o))), "orientation " + o);
        }
        assertEquals(3, ImageDecoder.orient(img, 6).getHeight());
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                sum += Math.abs((a.getRGB(x, y) & 0xff) - (b.getRGB(x, y) & 0xff));
            }
        }
        return (double) sum / (a.getWidth() * a.getHeight());
    }
}
