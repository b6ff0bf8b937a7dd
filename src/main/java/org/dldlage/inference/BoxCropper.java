package org.dldlage.inference;

import java.awt.image.BufferedImage;
import org.dldlage.face.Face;
import org.dldlage.face.ImageOps;
import org.dldlage.model.BundleManifest;

/**
 * The simplest {@link FaceCropper}: the whole image for {@code none}, otherwise the detector's box
 * squared around its centre with a margin, clipped to the image, then resized. Landmark warping for
 * {@code mtcnn} belongs to the face package's aligner, which replaces this bean when wired.
 */
public final class BoxCropper implements FaceCropper {

    private final double margin;

    /** @param margin extra share of the box side added around it (0.2 adds 10% each side) */
    public BoxCropper(double margin) {
        this.margin = margin;
    }

    @Override
    public byte[] crop(BufferedImage image, Face face, Align align, BundleManifest model) {
        int s = model.inputSize();
        if (align == Align.NONE || face == null) {
            return ImageOps.resizeCentreCrop(image, s);
        }
        double side = Math.max(face.width(), face.height()) * (1 + margin);
        double cx = face.x() + face.width() / 2;
        double cy = face.y() + face.height() / 2;
        int x0 = clamp((int) Math.round(cx - side / 2), image.getWidth() - 1);
        int y0 = clamp((int) Math.round(cy - side / 2), image.getHeight() - 1);
        int x1 = clamp((int) Math.round(cx + side / 2), image.getWidth());
        int y1 = clamp((int) Math.round(cy + side / 2), image.getHeight());
        BufferedImage region = image.getSubimage(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        return ImageOps.resizeCentreCrop(region, s);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
