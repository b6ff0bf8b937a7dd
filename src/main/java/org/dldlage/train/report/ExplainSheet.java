package org.dldlage.train.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.dldlage.model.AgeModel;
import org.dldlage.model.ScoreMapRenderer;
import org.dldlage.train.data.FaceCache;

/** A sheet in the style of the paper's Fig. 4: score maps of N faces from each of three age groups. */
final class ExplainSheet {

    /** The paper's groups: infants, adults, seniors. */
    static final double[][] GROUPS = {{0, 3}, {20, 35}, {65, 200}};
    static final String[] GROUP_NAMES = {"0-3", "20-35", "65+"};
    private static final int CELL = 160;
    private static final int LABEL = 60;

    private ExplainSheet() {}

    /** Writes the sheet; returns how many faces it shows. */
    static int write(AgeModel model, FaceCache faces, int perGroup, Path file) throws IOException {
        int size = model.inputSize();
        List<List<Integer>> picks = new ArrayList<>();
        for (double[] g : GROUPS) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < faces.size() && idx.size() < perGroup; i++) {
                double age = faces.sample(i).age();
                if (age >= g[0] && age <= g[1]) {
                    idx.add(i);
                }
            }
            picks.add(idx);
        }
        int cellW = CELL + 56;
        int cellH = CELL + 22;
        BufferedImage sheet = new BufferedImage(LABEL + perGroup * cellW, GROUPS.length * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        int shown = 0;
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            for (int row = 0; row < GROUPS.length; row++) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                g.drawString(GROUP_NAMES[row], 8, row * cellH + cellH / 2);
                List<Integer> idx = picks.get(row);
                if (idx.isEmpty()) {
                    continue;
                }
                List<byte[]> batch = new ArrayList<>();
                for (int i : idx) {
                    batch.add(faces.pixels(i));
                }
                AgeModel.ScoreMaps maps = model.scoreMaps(batch);
                AgeModel.Predictions pred = model.predict(batch, false);
                for (int c = 0; c < idx.size(); c++) {
                    String caption = String.format("true %.0f, estimate %.1f", faces.sample(idx.get(c)).age(), pred.ages()[c]);
                    BufferedImage cell = ScoreMapRenderer.render(batch.get(c), size, maps.maps()[c], maps.height(),
                            maps.width(), CELL, caption);
                    g.drawImage(cell, LABEL + c * cellW, row * cellH, null);
                    shown++;
                }
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", file.toFile());
        return shown;
    }
}
