package org.dldlage.face.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A face candidate in the reference implementation's 1-based inclusive pixel coordinates, and its box arithmetic. */
final class Box {
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

    /** Rounds towards zero, as MATLAB's fix. */
    static double fix(double v) {
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }

    /** Applies the regression {@link #reg} (offsets in box sides, the reference's bbreg). */
    void regress() {
        double bw = x2 - x1 + 1;
        double bh = y2 - y1 + 1;
        x1 += reg[0] * bw;
        y1 += reg[1] * bh;
        x2 += reg[2] * bw;
        y2 += reg[3] * bh;
    }

    /** Grows each box to a square around its centre (the reference's rerec). */
    static void square(List<Box> boxes) {
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
    static List<Box> nms(List<Box> boxes, double threshold, boolean min) {
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
}
