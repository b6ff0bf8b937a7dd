package org.dldlage.train.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dldlage.core.LabelDistributions;
import org.dldlage.core.LabelSpace;
import org.dldlage.model.AgeModel;
import org.dldlage.train.data.FaceCache;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Claim (d), eq. (6): a ranking model's K−1 outputs σ(x_k) ≈ P(y > l_k) = 1 − (T·p̂)_k of a label
 * distribution model. Both are compared on the same test faces, without mirror averaging.
 *
 * @param n test faces
 * @param thresholds K − 1
 * @param meanAbsDifference mean over faces and k of |σ(x_k) − (1 − T·p̂)_k|
 * @param rankingVsTruth the same against the true step 1[y > l_k], for scale
 * @param cdfVsTruth 1 − T·p̂ against the true step
 * @param examples a few faces to plot
 */
public record RankingCdf(long n, int thresholds, double meanAbsDifference, double rankingVsTruth, double cdfVsTruth,
        List<Example> examples) {

    /** One face's two curves over the thresholds l_0 … l_{K−2}. */
    public record Example(double age, double[] thresholds, double[] ranking, double[] fromDistribution) {}

    private static final double[] EXAMPLE_AGES = {4, 24, 45, 70};
    private static final int BATCH = 128;

    public static RankingCdf compare(AgeModel ranking, AgeModel distribution, FaceCache faces) {
        LabelSpace space = distribution.manifest().labelSpace();
        if (!ranking.manifest().labelSpace().equals(space) || ranking.method().outputs() != space.size() - 1) {
            throw new IllegalArgumentException("the ranking and distribution models need the same label space");
        }
        int k1 = space.size() - 1;
        double diff = 0;
        double rankTruth = 0;
        double cdfTruth = 0;
        int[] pick = new int[EXAMPLE_AGES.length];
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int i = 0; i < faces.size(); i++) {
            for (int e = 0; e < pick.length; e++) {
                double d = Math.abs(faces.sample(i).age() - EXAMPLE_AGES[e]);
                if (d < best[e]) {
                    best[e] = d;
                    pick[e] = i;
                }
            }
        }
        List<Example> examples = new ArrayList<>();
        for (int start = 0; start < faces.size(); start += BATCH) {
            int end = Math.min(faces.size(), start + BATCH);
            List<byte[]> batch = new ArrayList<>();
            for (int i = start; i < end; i++) {
                batch.add(faces.pixels(i));
            }
            float[][] logits = ranking.outputs(batch);
            float[][] p = distribution.predict(batch, false).distributions();
            for (int i = start; i < end; i++) {
                double age = faces.sample(i).age();
                double[] pi = new double[p[i - start].length];
                for (int k = 0; k < pi.length; k++) {
                    pi[k] = p[i - start][k];
                }
                double[] q = LabelDistributions.rankingFromDistribution(pi); // 1 − T·p̂, eq. (6)
                double[] t = LabelDistributions.rankingTargets(space, age);
                double[] r = new double[k1];
                for (int k = 0; k < k1; k++) {
                    r[k] = 1 / (1 + Math.exp(-logits[i - start][k]));
                    diff += Math.abs(r[k] - q[k]);
                    rankTruth += Math.abs(r[k] - t[k]);
                    cdfTruth += Math.abs(q[k] - t[k]);
                }
                for (int e = 0; e < pick.length; e++) {
                    if (pick[e] == i) {
                        double[] l = new double[k1];
                        for (int k = 0; k < k1; k++) {
                            l[k] = space.label(k);
                        }
                        examples.add(new Example(age, l, r, q));
                    }
                }
            }
        }
        examples.sort(java.util.Comparator.comparingDouble(Example::age));
        double cells = (double) faces.size() * k1;
        return new RankingCdf(faces.size(), k1, diff / cells, rankTruth / cells, cdfTruth / cells, examples);
    }

    /** One panel per example face: the ranking outputs and 1 − T·p̂ over l_k, with the true age marked. */
    public void plot(Path png, String rankingName, String distributionName) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (Example e : examples) {
            XYChart c = new XYChartBuilder().width(520).height(360).title(String.format("test face, true age %.0f", e.age()))
                    .xAxisTitle("l_k (years)").yAxisTitle("P(y > l_k)").build();
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            // a label every 20 years: XChart's default puts one on every 4th threshold, too dense to read
            c.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.round(x) % 20 == 0 ? String.valueOf(Math.round(x)) : "");
            c.addSeries("ranking σ(x_k) (" + rankingName + ")", e.thresholds(), e.ranking()).setMarker(SeriesMarkers.NONE);
            c.addSeries("1 − T·p̂ (" + distributionName + ")", e.thresholds(), e.fromDistribution()).setMarker(SeriesMarkers.NONE);
            c.addSeries("true age", new double[] {e.age(), e.age()}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE);
            charts.add(c);
        }
        BitmapEncoder.saveBitmap(charts, 2, (charts.size() + 1) / 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
