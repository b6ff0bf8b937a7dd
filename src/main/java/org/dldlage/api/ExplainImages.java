package org.dldlage.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.dldlage.inference.Estimation;
import org.dldlage.model.ScoreMapRenderer;

/** PNG renderings of score maps for {@code POST /v1/age/explain}. */
final class ExplainImages {

    /** Side of the drawn face: large enough to read whatever the model's input size. */
    static final int DISPLAY = 224;

    private ExplainImages() {}

    static byte[] overlayPng(Estimation.FaceAge f) {
        Estimation.Explanation x = f.explanation();
        var image = ScoreMapRenderer.render(x.crop(), x.size(), x.map(), x.height(), x.width(), DISPLAY,
                String.format("age %.1f", f.age()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
