package org.dldlage.train.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dldlage.face.align.Align;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.net.Architecture;
import org.dldlage.support.SharedData;
import org.dldlage.support.SmallSplits;
import org.dldlage.train.cli.ReportOptions;
import org.dldlage.train.cli.ReportSet;
import org.dldlage.train.cli.TrainDataSet;
import org.dldlage.train.cli.TrainOptions;
import org.dldlage.train.report.EpochRecord;
import org.dldlage.train.report.ReportCommand;
import org.dldlage.train.report.Reports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-set path end to end on real faces: two small sets (UTKFace, APPA-REAL) through MTCNN
 * with a cached detection pass, one epoch, then the report profile's calibration and per-set report.
 */
class MultiSetTrainingTest {

    @TempDir
    static Path tmp;
    static Path utk;
    static Path appa;

    @BeforeAll
    static void smallSets() throws IOException {
        utk = SmallSplits.write(tmp.resolve("utk"), 48, 24, 16);
        appa = SmallSplits.write(tmp.resolve("appa"), SharedData.appaReal(), 48, 24, 0);
    }

    static TrainOptions props(Path out, boolean prepareOnly, double appaWeight) {
        List<TrainDataSet> sets = List.of(new TrainDataSet("utkface", utk, 1.0, "UTKFace terms"),
                new TrainDataSet("appa-real", appa, appaWeight, "ChaLearn terms"));
        return new TrainOptions(null, null, Architecture.TINY, 64, TrainOptions.Method.DLDL, 0.0, 1.0, 2.0, 1, 16, 1e-3, 15, 3L,
                true, true, out, false, 0, Align.NONE,
                0, sets, tmp.resolve("cache"), 0.15, prepareOnly, null, 0, 0);
    }

    @Test
    void trainsOnSeveralSetsThroughMtcnnAndReportsEachSetCalibrated() throws Exception {
        List<String> log = new ArrayList<>();
        Path out = tmp.resolve("bundle");
        TrainingRun.Result result = new TrainingRun(props(out, false, 2), log::add).run();
        BundleManifest m = result.manifest();
        assertThat(log).anyMatch(l -> l.startsWith("detecting faces in"));
        assertThat(m.alignment().mode()).isEqualTo("mtcnn");
        List<double[]> t = m.alignment().template();
        assertThat(t.get(0)[0]).as("left eye left of right eye").isLessThan(t.get(1)[0]);
        assertThat(t.get(2)[1]).as("nose between eyes and mouth").isBetween(t.get(0)[1], t.get(3)[1]);
        assertThat(m.training().data()).contains("utkface").contains("appa-real").contains("weight 2.0");
        assertThat(m.training().licence()).contains("UTKFace terms").contains("ChaLearn terms");
        assertThat(m.training().settings()).containsEntry("frameJitter", 0.15);
        // each face found is trained on: the APPA images twice per epoch on average
        int found = result.sets().members().stream().mapToInt(x -> x.data().train().size()).sum();
        assertThat(m.training().samples()).isEqualTo(found).isGreaterThan(80);
        EpochRecord e = Checkpoints.history(out.resolve(Checkpoints.DIR)).get(0);
        assertThat(e.valMaeFlipBySet()).containsOnlyKeys("utkface", "appa-real");
        assertThat(e.valMaeFlip()).isCloseTo((e.valMaeFlipBySet().get("utkface") + e.valMaeFlipBySet().get("appa-real")) / 2,
                org.assertj.core.data.Offset.offset(1e-9));
        try (var files = Files.list(tmp.resolve("cache").resolve("detections"))) {
            assertThat(files.count()).as("one cache file per image folder").isEqualTo(2);
        }

        // a second run finds every detection in the cache
        List<String> again = new ArrayList<>();
        new TrainingRun(props(tmp.resolve("prepared"), true, 1), again::add).run();
        assertThat(again).noneMatch(l -> l.startsWith("detecting faces in")).anyMatch(l -> l.startsWith("prepared: "));

        ReportSet utkTest = new ReportSet("utkface", SharedData.utkfaceImages(), utk.resolve("labels.csv"), "test",
                ReportSet.Role.TEST, "UTKFace terms", Align.MTCNN);
        ReportSet appaVal = new ReportSet("appa-real", SharedData.appaReal().resolve("images"), appa.resolve("labels.csv"), "val",
                ReportSet.Role.VAL, "ChaLearn terms", Align.MTCNN);
        ReportSet appaCrops = new ReportSet("appa-real", SharedData.appaReal().resolve("images"), appa.resolve("labels.csv"), "val",
                ReportSet.Role.VAL, "ChaLearn terms", Align.NONE);
        new ReportCommand(new ReportOptions(out, List.of(appaVal, appaCrops, utkTest), true, 2.0, tmp.resolve("cache"))).run();
        BundleManifest reported = ModelBundles.readManifest(out);
        assertThat(reported.calibration().temperature()).isBetween(0.35, 3.0);
        assertThat(reported.calibration().fittedOn()).contains("appa-real val");
        assertThat(reported.testMetrics()).containsKeys("appa-real.val.mae", "appa-real.val.crops.mae", "appa-real.val.coverage80", "utkface.test.mae",
                "utkface.test.facesFound");
        assertThat(reported.testMetrics().get("appa-real.val.coverage80")).as("fitted on this set alone").isBetween(0.6, 1.0);
        String report = Files.readString(out.resolve(Reports.REPORT));
        assertThat(report).contains("| appa-real | val | val | `align=mtcnn` |").contains("| appa-real | val | val | `align=none` |").contains("| utkface | test | test |")
                .contains("appa-real val by age decade").contains("T = ");
    }
}
