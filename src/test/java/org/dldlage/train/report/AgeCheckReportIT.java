package org.dldlage.train.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dldlage.support.Cli;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The agecheck report's numbers are the service's decisions: on a small subset of the three sets (two
 * photos per age band), the counts the packaged command writes equal those of the same photos sent to
 * the running service with the same model, T and buffer; and a second run writes the same numbers.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "age.device=cpu", "age.models.watch.enabled=false"})
class AgeCheckReportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] BANDS = {13, 18, 21, 25, 30};
    private static final String[] SETS = {"utkface:test", "appa-real:val", "aaf:val"};

    @TempDir
    Path tmp;

    @LocalServerPort
    int port;

    @Test
    void theReportCountsWhatTheServiceDecidesForTheSamePhotosAndReproducesThem() throws Exception {
        Http http = new Http(port);
        Path data = tmp.resolve("data");
        Map<String, List<String[]>> rows = new LinkedHashMap<>(); // set -> (absolute file, age)
        for (String spec : SETS) {
            rows.put(spec.split(":")[0], subset(data, spec.split(":")[0], spec.split(":")[1]));
        }
        Path photo = Path.of(rows.get("utkface").get(0)[0]);
        String model = JSON.readTree(http.upload("/v1/age", Files.readAllBytes(photo), "image/jpeg").body())
                .get("model").get("name").asText();
        Path bundle = Path.of("model-store").resolve(model);
        String[] args = {"--spring.profiles.active=agecheck", "--agecheck.model=" + bundle, "--agecheck.data=" + data,
            "--agecheck.buffers=0,6", "--agecheck.shown-buffers=0", "--agecheck.output=" + tmp.resolve("out")};
        Cli.Result run = Cli.run(args);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(tmp.resolve("out/age-checks.md")).content().contains("## Buffer sweep").contains("--agecheck.data=" + data);
        assertThat(Files.size(tmp.resolve("out/age-checks.png"))).isPositive();
        JsonNode report = JSON.readTree(tmp.resolve("out/age-checks.json").toFile());

        int compared = 0;
        for (JsonNode set : report.get("sets")) {
            String name = set.get("set").asText().split(" ")[0];
            List<String[]> photos = rows.get(name);
            assertThat(set.get("n").asInt()).isEqualTo(photos.size());
            for (JsonNode check : set.get("checks")) {
                if (!check.get("rule").asText().equals("estimate")) {
                    continue;
                }
                int t = check.get("minimumAge").asInt();
                double buffer = check.get("buffer").asDouble();
                Map<String, int[]> served = new HashMap<>();
                for (String[] p : photos) {
                    HttpResponse<String> r = http.upload("/v1/age?distribution=false&minimumAge=" + t + "&buffer=" + buffer,
                            Files.readAllBytes(Path.of(p[0])), "image/jpeg");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode faces = JSON.readTree(r.body()).get("faces");
                    String decision = faces.isEmpty() ? "refer" : faces.get(0).get("decision").asText(); // no face: refer
                    int slot = List.of("pass", "refer", "fail").indexOf(decision);
                    served.computeIfAbsent(band(Double.parseDouble(p[1])), k -> new int[3])[slot]++;
                }
                check.get("bands").fields().forEachRemaining(e -> {
                    int[] s = served.getOrDefault(e.getKey(), new int[3]);
                    JsonNode tally = e.getValue();
                    assertThat(new int[] {tally.get("pass").asInt(), tally.get("refer").asInt(), tally.get("fail").asInt()})
                            .as("%s, T = %d, buffer %s, band %s: report vs service", name, t, buffer, e.getKey()).containsExactly(s);
                });
                compared++;
            }
        }
        assertThat(compared).as("3 sets × 2 thresholds × 2 buffers").isEqualTo(12);

        Cli.Result again = Cli.run(args);
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(JSON.readTree(tmp.resolve("out/age-checks.json").toFile())).isEqualTo(report);
    }

    private static String band(double age) {
        String[] names = {"under 13", "13-17", "18-20", "21-24", "25-29", "30+"};
        int b = 0;
        while (b < BANDS.length && age >= BANDS[b]) {
            b++;
        }
        return names[b];
    }

    /** Two photos per band of the set's split, in labels.csv order, into data/NAME/labels.csv by absolute path. */
    private static List<String[]> subset(Path data, String name, String split) throws IOException {
        Path set = SharedData.root().resolve(name);
        List<String> lines = Files.readAllLines(set.resolve("labels.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int file = header.indexOf("file");
        int age = header.indexOf("age");
        int splitCol = header.indexOf("split");
        Map<String, Integer> perBand = new HashMap<>();
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        List<String[]> picked = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (!f[splitCol].equals(split) || perBand.merge(band(Double.parseDouble(f[age])), 1, Integer::sum) > 2) {
                continue;
            }
            f[file] = set.resolve("images").resolve(f[file]).toString();
            out.add(String.join(",", f));
            picked.add(new String[] {f[file], f[age]});
        }
        Files.createDirectories(data.resolve(name));
        Files.write(data.resolve(name).resolve("labels.csv"), out);
        return picked;
    }
}
