package org.dldlage.train.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dldlage.app.tools.ToolOptions;
import org.dldlage.support.SmallSplits;
import org.dldlage.train.cli.TrainOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small study over real UTKFace images (32×32, one epoch): schedule, report, resume and claim (d). */
class StudyTest {

    /** Plan rows bound as the command line binds {@code --train.*}. */
    private static final Function<Map<String, String>, TrainOptions> OPTIONS = ToolOptions::train;

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void smallData() throws IOException {
        data = SmallSplits.write(tmp.resolve("data"), 96, 32, 48);
    }

    private static Path plan(String name, String rows) throws IOException {
        Path file = tmp.resolve(name + ".yml");
        Files.writeString(file, """
                data: %s
                runs: %s
                report: %s
                base: {arch: tiny, input-size: 32, epochs: 1, batch-size: 32, method: dldl-v2}
                questions:
                  - id: methods
                    title: "(a) Methods"
                    claim: "DLDL-v2 wins."
                    rows:
                %s
                  - id: ranking-cdf
                    kind: ranking-cdf
                    title: "(d) Ranking learns a c.d.f."
                    ranking: {label: Ranking, method: ranking}
                    distribution: {label: DLDL, method: dldl}
                """.formatted(data, tmp.resolve(name + "-runs"), tmp.resolve(name + "-docs/ablations.md"), rows));
        return file;
    }

    @Test
    void trainsEachDistinctRunOnceSeedOneFirstWritesTheReportAndResumes() throws IOException {
        Path file = plan("study", """
                      - {label: DLDL, method: dldl, seed: 1}
                      - {label: DLDL, method: dldl, seed: 2}
                      - {label: Ranking, method: ranking, seed: 1}
                """);
        StudyPlan plan = StudyPlan.read(file);
        List<String> log = new ArrayList<>();
        Study study = new Study(plan, OPTIONS, log::add);
        // the ranking-cdf question's two rows are the table's seed-1 rows: three distinct runs
        assertThat(study.schedule()).extracting(r -> r.options().method() + "/" + r.options().seed())
                .containsExactly("dldl/1", "ranking/1", "dldl/2");
        Map<String, Study.Result> results = study.execute();
        assertThat(results).hasSize(3);
        for (Study.Result r : results.values()) {
            assertThat(r.n()).isEqualTo(48);
            assertThat(r.mae()).isBetween(0.0, 100.0);
            assertThat(r.epsilonError()).isBetween(0.0, 1.0);
        }
        assertThat(results.get(study.schedule().get(1).key()).coverage80()).as("ranking has no distribution").isNaN();

        String md = Files.readString(plan.report());
        assertThat(md).contains("3 of 3 runs finished").contains("| DLDL | 2 | ").contains("| Ranking | 1 | ")
                .contains("Paper: DLDL-v2 wins.").contains("`--train.method=ranking`").doesNotContain("pending");
        assertThat(md).containsPattern("\\| DLDL \\| 2 \\| \\d+\\.\\d\\d \\(\\d+\\.\\d\\d / \\d+\\.\\d\\d\\)");
        assertThat(md).containsPattern("Ranking σ\\(x_k\\) against 1 − T·p̂ of DLDL \\| \\*\\*0\\.\\d{4}\\*\\*");
        assertThat(Files.size(plan.report().resolveSibling("ablation-ranking-cdf.png"))).isGreaterThan(10_000);
        assertThat(Files.size(plan.report().resolveSibling(StudyReport.CHART))).isGreaterThan(10_000);
        assertThat(md).contains("](" + StudyReport.CHART + ")");

        // a hand-written reading survives; finished runs are not trained again
        Files.writeString(plan.report(), md.replace("(The reading of these tables is written by hand once the runs are in.)",
                "Our reading."));
        Path first = study.schedule().get(0).dir();
        String before = Files.readString(first.resolve(Study.RESULT));
        List<String> again = new ArrayList<>();
        new Study(StudyPlan.read(file), OPTIONS, again::add).execute();
        assertThat(again).anyMatch(l -> l.contains("3 already finished")).noneMatch(l -> l.startsWith("study: run "));
        assertThat(Files.readString(first.resolve(Study.RESULT))).isEqualTo(before);
        assertThat(Files.readString(plan.report())).contains("Our reading.");

        // a run stopped after its last checkpoint but before its result: resumes instead of starting over
        Files.delete(first.resolve(Study.RESULT));
        List<String> resumed = new ArrayList<>();
        Map<String, Study.Result> after = new Study(StudyPlan.read(file), OPTIONS, resumed::add).execute();
        assertThat(resumed).anyMatch(l -> l.startsWith("resumed after epoch 1"));
        assertThat(after.get(study.schedule().get(0).key()).mae()).isEqualTo(results.get(study.schedule().get(0).key()).mae());
    }

    @Test
    void aTypoOrAReservedOptionFailsBeforeAnyTraining() throws IOException {
        assertThatThrownBy(() -> new Study(StudyPlan.read(plan("typo", "      - {label: DEX, methd: dex}\n")), OPTIONS, s -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 'DEX'").hasMessageContaining("methd");
        assertThatThrownBy(() -> new Study(StudyPlan.read(plan("bad", "      - {label: DEX, method: dexx}\n")), OPTIONS, s -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 'DEX'").hasMessageContaining("must be one of");
        assertThatThrownBy(() -> new Study(StudyPlan.read(plan("reserved", "      - {label: X, output: elsewhere}\n")), OPTIONS, s -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("which the study sets itself");
        Path missing = tmp.resolve("nope.yml");
        assertThatThrownBy(() -> StudyPlan.read(missing)).hasMessageContaining("does not exist");
    }
}
