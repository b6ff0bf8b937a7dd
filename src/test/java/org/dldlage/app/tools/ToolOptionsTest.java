package org.dldlage.app.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dldlage.app.startup.StartupFailureAnalyzer;
import org.dldlage.face.align.Align;
import org.dldlage.model.method.Methods;
import org.dldlage.model.net.Architecture;
import org.dldlage.train.cli.AgeCheckOptions;
import org.dldlage.train.cli.ReportOptions;
import org.dldlage.train.cli.ReportSet;
import org.dldlage.train.cli.TrainOptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The tools' options bound from a command line: relaxed enum values, the records' defaults, one-line errors. */
class ToolOptionsTest {

    private static StandardEnvironment commandLine(String... args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return env;
    }

    private static String oneLine(Throwable e) {
        return new StartupFailureAnalyzer().analyze(e).getDescription();
    }

    @Test
    void trainerOptionsLeftOutTakeTheReadmeDefaults() {
        TrainOptions p = ToolOptions.bind(commandLine("--train.data=d", "--train.output=o"), "train", TrainOptions.class);
        assertThat(p).isEqualTo(new TrainOptions(Path.of("d"), null, Architecture.TINY, 64, TrainOptions.Method.DLDL_V2, 1.0,
                1.0, 2.0, 20, 64, 0.001, 15, 1L, true, true, Path.of("o"), false, 0, Align.NONE, 500, null, null, 0, false, null, 0, 0));
        assertThat(p.licence()).isNull();
    }

    @Test
    void enumOptionsTakeTheirCommandLineSpelling() {
        TrainOptions p = ToolOptions.bind(commandLine("--train.data=d", "--train.output=o", "--train.arch=thin",
                "--train.method=mr-l1", "--train.align=mtcnn", "--train.licence=terms"), "train", TrainOptions.class);
        assertThat(p.arch()).isEqualTo(Architecture.THIN);
        assertThat(p.method()).isEqualTo(TrainOptions.Method.MR_L1);
        assertThat(p.align()).isEqualTo(Align.MTCNN);
        assertThat(p.licence()).isEqualTo("terms");
        assertThat(ToolOptions.train(Map.of("method", "dldl-v2", "output", "o", "data", "d")).method())
                .isEqualTo(TrainOptions.Method.DLDL_V2);
        assertThat(Arrays.stream(TrainOptions.Method.values()).map(TrainOptions.Method::id).toList())
                .as("one name per method of model.method.Methods").isEqualTo(Methods.NAMES);
    }

    @Test
    void aBadValueIsOneLineNamingTheOptionAndWhatItAccepts() {
        assertThatThrownBy(() -> ToolOptions.bind(commandLine("--train.data=d", "--train.output=o", "--train.method=svm"), "train",
                TrainOptions.class)).isInstanceOf(BindException.class).satisfies(e -> assertThat(oneLine(e)).isEqualTo(
                        "invalid configuration: train.method=svm (must be one of dldl-v2, dldl, dex, ranking, mr-l1, mr-l2)"));
        assertThatThrownBy(() -> ToolOptions.bind(commandLine("--train.data=d", "--train.output=o", "--train.arch=wide"), "train",
                TrainOptions.class)).satisfies(e -> assertThat(oneLine(e)).isEqualTo(
                        "invalid configuration: train.arch=wide (must be one of thin, tiny)"));
        assertThatThrownBy(() -> ToolOptions.bind(commandLine("--train.data=d"), "train", TrainOptions.class))
                .satisfies(e -> assertThat(oneLine(e)).isEqualTo("invalid configuration: train.output must not be null (was null)"));
        assertThatThrownBy(() -> ToolOptions.train(Map.of("output", "o", "data", "d", "methd", "dex")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("train.methd");
    }

    @Test
    void listsAndNestedSetsBindWithTheirDefaults() {
        AgeCheckOptions a = ToolOptions.bind(commandLine("--agecheck.model=m", "--agecheck.buffers=0,6"), "agecheck",
                AgeCheckOptions.class);
        assertThat(a.buffers()).containsExactly(0.0, 6.0);
        assertThat(a.sets()).containsExactly("utkface:test", "appa-real:val", "aaf:val");
        assertThat(a.thresholds()).containsExactly(18, 21);
        assertThat(a.align()).isEqualTo(Align.MTCNN);
        assertThat(new AgeCheckOptions(Path.of("m"), null, null, null, null, null, null, null, null, null).buffers())
                .hasSize(31).startsWith(0.0, 1.0).endsWith(30.0);

        ReportOptions r = ToolOptions.bind(commandLine("--report.model=m", "--report.sets[0].name=aaf",
                "--report.sets[0].images=i", "--report.sets[0].labels=l.csv", "--report.sets[0].role=cross",
                "--report.sets[0].align=none"), "report", ReportOptions.class);
        assertThat(r.sets()).containsExactly(new ReportSet("aaf", Path.of("i"), Path.of("l.csv"), null, ReportSet.Role.CROSS,
                "see the data set's terms", Align.NONE));
        assertThat(r.calibrate()).isTrue();
        assertThatThrownBy(() -> ToolOptions.bind(commandLine("--report.model=m", "--report.sets[0].name=aaf",
                "--report.sets[0].images=i", "--report.sets[0].labels=l.csv", "--report.sets[0].align=box"), "report",
                ReportOptions.class)).satisfies(e -> assertThat(oneLine(e)).contains("align must be mtcnn or none"));

        TrainOptions t = ToolOptions.bind(commandLine("--train.output=o", "--train.sets[0].name=utkface",
                "--train.sets[0].data=u"), "train", TrainOptions.class);
        assertThat(t.sets()).hasSize(1);
        assertThat(t.sets().get(0).weight()).isEqualTo(1.0);
        assertThat(t.sets().get(0).licence()).isNull();
        assertThat(List.of(t.multiSet(), t.isDataOrSets())).containsExactly(true, true);
    }
}
