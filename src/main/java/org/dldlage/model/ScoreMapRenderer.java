package org.dldlage.model;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Draws an age score map over its aligned face: the map is upsampled bilinearly to the face, coloured
 * with a blue→red scale at 50% opacity, with a legend bar of the map's range on the right.
 */
public final class ScoreMapRenderer {

    private static final int LEGEND = 56;

    private ScoreMapRenderer() {}

    /**
     * @param face S·S·3 RGB bytes of the aligned face the model saw
     * @param map h×w score map, row-major
     * @param display side of the drawn face in pixels
     * @param caption text under the face (e.g. the estimated age), or null
     */
    public static BufferedImage render(byte[] face, int size, float[] map, int h, int w, int display, String caption) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = Math.max(max - min, 1e-6f);
        int captionHeight = caption == null ? 0 : 22;
        BufferedImage out = new BufferedImage(display + LEGEND, display + captionHeight, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < display; y++) {
            for (int x = 0; x < display; x++) {
                int fx = Math.min(size - 1, x * size / display);
                int fy = Math.min(size - 1, y * size / display);
                int i = 3 * (fy * size + fx);
                // map cell centres sit at ((j + 0.5)·display/w): interpolate between them
                double my = (y + 0.5) * h / display - 0.5;
                double mx = (x + 0.5) * w / display - 0.5;
                float t = (bilinear(map, h, w, my, mx) - min) / range;
                int c = colour(t);
                int r = ((face[i] & 0xff) + ((c >> 16) & 0xff)) / 2;
                int g = ((face[i + 1] & 0xff) + ((c >> 8) & 0xff)) / 2;
                int b = ((face[i + 2] & 0xff) + (c & 0xff)) / 2;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(display, 0, LEGEND, display + captionHeight);
            g.fillRect(0, display, display, captionHeight);
            int barTop = 14;
            int barBottom = display - 14;
            for (int y = barTop; y <= barBottom; y++) {
                g.setColor(new Color(colour(1 - (float) (y - barTop) / (barBottom - barTop))));
                g.drawLine(display + 6, y, display + 18, y);
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.drawRect(display + 6, barTop, 12, barBottom - barTop);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString(String.format("%.2f", max), display + 21, barTop + 4);
            g.drawString(String.format("%.2f", min), display + 21, barBottom + 4);
            g.drawString("S", display + 21, (barTop + barBottom) / 2 + 4);
            if (caption != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                g.drawString(caption, 4, display + 16);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static float bilinear(float[] map, int h, int w, double y, double x) {
        y = Math.max(0, Math.min(h - 1, y));
        x = Math.max(0, Math.min(w - 1, x));
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        int y1 = Math.min(h - 1, y0 + 1);
        int x1 = Math.min(w - 1, x0 + 1);
        double fy = y - y0;
        double fx = x - x0;
        return (float) ((1 - fy) * ((1 - fx) * map[y0 * w + x0] + fx * map[y0 * w + x1])
                + fy * ((1 - fx) * map[y1 * w + x0] + fx * map[y1 * w + x1]));
    }

    /** A blue → cyan → yellow → red scale ("jet"-like) for t in [0, 1]. */
    static int colour(float t) {
        t = Math.max(0, Math.min(1, t));
        float r = clamp(1.5f - Math.abs(4 * t - 3));
        float g = clamp(1.5f - Math.abs(4 * t - 2));
        float b = clamp(1.5f - Math.abs(4 * t - 1));
        return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (b * 255);
    }

    private static float clamp(float v) {
        return Math.max(0, Math.min(1, v));
    }
}
