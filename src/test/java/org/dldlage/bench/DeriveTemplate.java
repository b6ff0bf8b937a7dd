package org.dldlage.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.dldlage.app.engine.EngineSetup;
import org.dldlage.face.align.TemplateDerivation;
import org.dldlage.face.detect.Face;
import org.dldlage.face.detect.Mtcnn;

/**
 * Derives the alignment template from UTKFace's train crops ({@link TemplateDerivation}) and prints it with
 * each landmark's spread and the mean detected box. Prints numbers; not a test. Usage:
 *
 * <pre>
 * ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.DeriveTemplate \
 *     -Dai.djl.pytorch.num_threads=1 -Dexec.args="[utkfaceDir] [count] [seed]"
 * </pre>
 *
 * utkfaceDir defaults to ../shared/data/utkface, count to 2000 crops, seed to 42.
 */
public final class DeriveTemplate {

    private DeriveTemplate() {}

    public static void main(String[] args) throws Exception {
        EngineSetup.configure(args);
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/utkface");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        long t0 = System.nanoTime();
        TemplateDerivation.Result r;
        try (Mtcnn mtcnn = Mtcnn.load()) {
            r = TemplateDerivation.derive(mtcnn, dir, count, seed);
        }
        System.out.printf(Locale.ROOT, "UTKFace train crops: %d tried, %d with a face (%.1f s)%n", r.images(), r.used(),
                (System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < 5; i++) {
            System.out.printf(Locale.ROOT, "%-10s x %.4f (sd %.4f)  y %.4f (sd %.4f)%n", Face.LANDMARK_NAMES[i],
                    r.template()[i][0], r.spread()[i][0], r.template()[i][1], r.spread()[i][1]);
        }
        System.out.printf(Locale.ROOT, "mean box: x %.4f y %.4f w %.4f h %.4f%n", r.meanBox()[0], r.meanBox()[1],
                r.meanBox()[2], r.meanBox()[3]);
        StringBuilder json = new StringBuilder("template (model.json alignment.template): [");
        for (int i = 0; i < 5; i++) {
            json.append(String.format(Locale.ROOT, "%s[%.4f, %.4f]", i == 0 ? "" : ", ", r.template()[i][0],
                    r.template()[i][1]));
        }
        System.out.println(json.append(']'));
    }
}
