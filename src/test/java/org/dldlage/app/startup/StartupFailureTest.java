package org.dldlage.app.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dldlage.DldlAgeApplication;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A bad bundle or a bad {@code age.*} value stops start-up with one line and no stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingBundleStopsStartUpWithOneLineNamingIt(CapturedOutput output) {
        Path missing = tmp.resolve("no-such-bundle");
        assertFailsWithOneLine(output, "model bundle " + missing + ": no model.json", "--age.model.path=" + missing);
    }

    @Test
    void aCorruptParameterFileStopsStartUpWithOneLine(CapturedOutput output) throws IOException {
        Path bundle = TestBundles.write(tmp.resolve("corrupt"), "TinyAgeNet", 64);
        Path params = bundle.resolve("age.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x5a; // one flipped byte: same size, different checksum
        Files.write(params, bytes);
        assertFailsWithOneLine(output, "model bundle " + bundle + ": parameter file age.params has SHA-256",
                "--age.model.path=" + bundle);
    }

    @Test
    void anUnknownDefaultModelStopsStartUpWithOneLineListingTheBundles(CapturedOutput output) throws IOException {
        TestBundles.write(tmp.resolve("tiny-one"), "TinyAgeNet", 64);
        Files.createDirectories(tmp.resolve("mtcnn")); // not a bundle: not listed
        assertFailsWithOneLine(output, "the default model tiny-two is not among the bundles in " + tmp + " [tiny-one]",
                "--age.models.store=" + tmp, "--age.models.default=tiny-two");
    }

    @Test
    void anEmptyModelStoreStopsStartUpWithOneLine(CapturedOutput output) {
        assertFailsWithOneLine(output, "no model bundle (a folder with model.json) in " + tmp, "--age.models.store=" + tmp);
    }

    @Test
    void anInvalidBatchingValueStopsStartUpWithOneLine(CapturedOutput output) {
        assertFailsWithOneLine(output, "invalid configuration: age.batching.max-batch-size must be greater than or equal to 1 (was 0)",
                "--age.model.path=" + tmp, "--age.batching.max-batch-size=0");
    }

    @Test
    void anUnknownDeviceStopsStartUpWithOneLine(CapturedOutput output) {
        assertFailsWithOneLine(output, "invalid configuration: age.device=tpu (must be one of auto, cpu, gpu)", "--age.model.path=" + tmp, "--age.device=tpu");
    }

    private static void assertFailsWithOneLine(CapturedOutput output, String expected, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(args, 0, all, 1, args.length);
        assertThatThrownBy(() -> new SpringApplicationBuilder(DldlAgeApplication.class).run(all)).isNotNull();
        List<String> errors = output.getAll().lines().filter(l -> l.contains(" ERROR ")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("dldl-age did not start: " + expected);
        assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain("APPLICATION FAILED TO START");
    }
}
