package org.dldlage.train.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dldlage.support.Cli;
import org.dldlage.support.SmallSplits;
import org.dldlage.train.report.Reports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer and evaluate profiles through the packaged jar: exit codes, one-line errors, the JSON line. */
class TrainerCliIT {

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void smallData() throws IOException {
        data = SmallSplits.write(tmp.resolve("data"), 48, 16, 24);
    }

    private static void assertOneLineError(Cli.Result r, String expected) {
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains(expected);
        assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(r.stderr().lines().filter(l -> l.contains("dldl-age: ") || l.contains("dldl-age did not start: ")).count())
                .as(r.stderr()).isEqualTo(1);
    }

    @Test
    void trainsThenEvaluatesWithTheRightCount() throws Exception {
        Path out = tmp.resolve("model");
        Cli.Result train = Cli.run("--spring.profiles.active=trainer", "--train.data=" + data, "--train.epochs=1",
                "--train.batch-size=16", "--train.output=" + out);
        assertThat(train.exitCode()).as(train.stderr()).isZero();
        assertThat(Files.exists(out.resolve("model.json"))).isTrue();
        assertThat(Files.exists(out.resolve(Reports.REPORT))).isTrue();

        Path predictions = tmp.resolve("pred.csv");
        Cli.Result eval = Cli.run("--spring.profiles.active=evaluate", "--eval.model=" + out, "--eval.data=" + data,
                "--eval.split=test", "--eval.sigma=2", "--eval.predictions=" + predictions);
        assertThat(eval.exitCode()).as(eval.stderr()).isZero();
        String last = eval.stdoutLines().get(eval.stdoutLines().size() - 1);
        JsonNode json = new ObjectMapper().readTree(last);
        assertThat(json.get("n").asInt()).isEqualTo(24);
        assertThat(json.get("skipped").asInt()).isZero();
        assertThat(json.get("mae").asDouble()).isPositive();
        assertThat(json.get("epsilonError").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.has("cs5") && json.has("meanError") && json.has("coverage80")).isTrue();
        assertThat(Files.readAllLines(predictions)).hasSize(25);
    }

    @Test
    void evaluateCountsUnreadableImagesAsSkipped() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(folder.resolve("a.jpg"), "not a jpeg");
        Files.writeString(folder.resolve("labels.csv"), "file,age\na.jpg,30\nmissing.jpg,40\n");
        Path model = tmp.resolve("evalmodel");
        org.dldlage.support.TestBundles.write(model, org.dldlage.model.net.Architecture.TINY, 64, 3);
        Cli.Result eval = Cli.run("--spring.profiles.active=evaluate", "--eval.model=" + model, "--eval.data=" + folder);
        assertThat(eval.exitCode()).as(eval.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(eval.stdoutLines().get(eval.stdoutLines().size() - 1));
        assertThat(json.get("n").asInt()).isZero();
        assertThat(json.get("skipped").asInt()).isEqualTo(2);
    }

    @Test
    void evaluateWithMtcnnScoresRawPhotosAndCountsThoseWithoutAFace() throws Exception {
        Path fgnet = org.dldlage.support.SharedData.fgnet();
        java.util.List<String> rows = new java.util.ArrayList<>(Files.readAllLines(fgnet.resolve("annotations.csv")).subList(0, 9));
        Path folder = Files.createDirectories(tmp.resolve("fgnet-subset"));
        // a photo without a face: a flat grey picture
        java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(300, 300, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = grey.createGraphics();
        g.setColor(java.awt.Color.GRAY);
        g.fillRect(0, 0, 300, 300);
        g.dispose();
        javax.imageio.ImageIO.write(grey, "jpg", folder.resolve("grey.jpg").toFile());
        rows.add("grey.jpg,0,30");
        java.util.List<String> csv = new java.util.ArrayList<>();
        csv.add(rows.get(0));
        for (String r : rows.subList(1, rows.size())) {
            String f = r.split(",")[0];
            csv.add((f.equals("grey.jpg") ? folder.resolve(f) : fgnet.resolve("images").resolve(f)) + r.substring(f.length()));
        }
        Files.write(folder.resolve("labels.csv"), csv);
        Path model = tmp.resolve("fgmodel");
        org.dldlage.support.TestBundles.write(model, org.dldlage.model.net.Architecture.TINY, 64, 3);
        Cli.Result eval = Cli.run("--spring.profiles.active=evaluate", "--eval.model=" + model, "--eval.data=" + folder,
                "--eval.align=mtcnn");
        assertThat(eval.exitCode()).as(eval.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(eval.stdoutLines().get(eval.stdoutLines().size() - 1));
        assertThat(json.get("noFace").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(json.get("n").asInt() + json.get("noFace").asInt()).isEqualTo(9);
        assertThat(json.get("n").asInt()).isGreaterThanOrEqualTo(7);
        assertThat(json.get("skipped").asInt()).isZero();
    }

    @Test
    void missingDataFolderIsOneLine() throws Exception {
        assertOneLineError(Cli.run("--spring.profiles.active=trainer", "--train.data=" + tmp.resolve("nope"),
                "--train.output=" + tmp.resolve("x1")), "does not exist");
    }

    @Test
    void csvWithoutAgeColumnIsOneLine() throws Exception {
        Path bad = Files.createDirectories(tmp.resolve("badcsv"));
        Files.writeString(bad.resolve("labels.csv"), "filename,years,split\na.jpg,3,train\n");
        assertOneLineError(Cli.run("--spring.profiles.active=trainer", "--train.data=" + bad,
                "--train.output=" + tmp.resolve("x2")), "'file' and 'age'");
    }

    @Test
    void unknownMethodIsOneLine() throws Exception {
        assertOneLineError(Cli.run("--spring.profiles.active=trainer", "--train.data=" + data, "--train.method=svm",
                "--train.output=" + tmp.resolve("x3")), "train.method");
    }

    @Test
    void inputSizeNotDivisibleBy32IsOneLine() throws Exception {
        assertOneLineError(Cli.run("--spring.profiles.active=trainer", "--train.data=" + data, "--train.input-size=100",
                "--train.output=" + tmp.resolve("x4")), "divisible by 32");
    }
}
