package org.dldlage.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dldlage.ops.OpsFiles.at;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The packaged jar scraped by a real Prometheus (Debian's {@code prometheus} package; {@code .ci/run}
 * installs it) on loopback, with the compose scrape config and alert rules where only the target is
 * replaced. After real requests and two scrapes it checks the latency histogram, batch-size and
 * queue-depth series, runs every PromQL query of the Grafana dashboard (each must return a series),
 * checks that every alert rule evaluates, and that the Kubernetes probe paths answer on the real jar.
 */
class PrometheusDashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String COMPOSE_TARGET = "dldl-age:8080";

    @TempDir
    static Path tmp;
    static Process app;
    static Process prometheus;
    static String appUrl;
    static String promUrl;
    static final List<Integer> startupStatuses = new ArrayList<>();
    static int sent;
    /** Why the tests are skipped here (checked per test, so each is reported as skipped with it). */
    static String skipReason;

    @BeforeAll
    static void startJarAndPrometheus() throws Exception {
        String binary = System.getProperty("dldl.prometheus", "prometheus");
        if (!onPath(binary)) {
            skipReason = "no '" + binary + "' binary on PATH: install Debian's prometheus package "
                    + "(apt-get install prometheus; .ci/run does this) to run the real-Prometheus check; test skipped";
            return;
        }
        List<byte[]> faces;
        try {
            faces = SharedData.utkfaceCrops(24);
        } catch (TestAbortedException e) {
            skipReason = e.getMessage();
            return;
        }
        Path jar = Path.of(System.getProperty("dldl.jar", "target/dldl-age.jar"));
        assertThat(jar).as("the packaged jar (run after 'package')").exists();

        int appPort = freePort();
        appUrl = "http://127.0.0.1:" + appPort;
        Map<String, Object> cm = OpsFiles.yamlString(at(OpsFiles.yamlDocuments(OpsFiles.ROOT.resolve("k8s/base/configmap.yaml")).get(0),
                "data", "application.yml"));
        String defaultModel = at(cm, "age", "models", "default");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"), "-Dai.djl.pytorch.num_threads=1",
                "-jar", jar.toString(), "--server.address=127.0.0.1", "--server.port=" + appPort,
                "--age.models.default=" + defaultModel);
        app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("app.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();

        // From the moment the port opens, knock until ready: the model is still loading at first, which
        // is how a real 'not_ready' rejection reaches the rejections panel.
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            assertThat(app.isAlive()).as("the jar exited: " + tail("app.log")).isTrue();
            assertThat(System.nanoTime()).as("the jar did not get ready: " + tail("app.log")).isLessThan(until);
            try {
                int status = postAge(faces.get(0), "align=none").statusCode();
                sent++;
                startupStatuses.add(status);
                if (status == 200) {
                    break;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }

        // the compose scrape config and rules, with the jar on loopback as the only change
        String config = Files.readString(OpsFiles.PROMETHEUS_CONFIG);
        assertThat(config).contains("\"" + COMPOSE_TARGET + "\"");
        Files.writeString(tmp.resolve("prometheus.yml"), config.replace(COMPOSE_TARGET, "127.0.0.1:" + appPort));
        Files.copy(OpsFiles.PROMETHEUS_CONFIG.resolveSibling("alerts.yml"), tmp.resolve("alerts.yml"));
        int promPort = freePort();
        promUrl = "http://127.0.0.1:" + promPort;
        prometheus = new ProcessBuilder(binary, "--config.file=" + tmp.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();

        // the load must fall between scrapes for rate() to see it: wait for the first scrape
        awaitPrometheus("up{job=\"dldl-age\"} == 1", 1);

        // real traffic: MTCNN-aligned and pre-cropped faces from 8 clients, and two unreadable uploads
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (byte[] face : faces) {
                calls.add(clients.submit(() -> postAge(face, "align=mtcnn").statusCode()));
                calls.add(clients.submit(() -> postAge(face, "align=none").statusCode()));
            }
            calls.add(clients.submit(() -> postAge("not an image".getBytes(StandardCharsets.UTF_8), "").statusCode()));
            calls.add(clients.submit(() -> postAge("still not".getBytes(StandardCharsets.UTF_8), "").statusCode()));
            int ok = 0;
            for (Future<Integer> f : calls) {
                ok += f.get(2, TimeUnit.MINUTES) == 200 ? 1 : 0;
                sent++;
            }
            assertThat(ok).as("requests answered 200").isEqualTo(2 * faces.size());
        } finally {
            clients.shutdownNow();
        }

        // wait until Prometheus has scraped every request, then more scrapes so rate() has two samples
        awaitPrometheus("sum(age_requests_seconds_count{job=\"dldl-age\"})", sent);
        double interval = OpsFiles.springDurationSeconds(at(OpsFiles.yamlString(config), "global", "scrape_interval"));
        Thread.sleep((long) (interval * 2_000) + 1000);
    }

    /** Polls an instant query until its single value reaches {@code atLeast}. */
    private static void awaitPrometheus(String promql, double atLeast) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            assertThat(prometheus.isAlive()).as("prometheus exited: " + tail("prometheus.log")).isTrue();
            assertThat(System.nanoTime()).as("Prometheus never reached " + promql + " >= " + atLeast + ": "
                    + tail("prometheus.log")).isLessThan(until);
            JsonNode r = queryOrNull(promql);
            if (r != null && r.size() == 1 && r.get(0).path("value").get(1).asDouble() >= atLeast) {
                return;
            }
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : new Process[] {prometheus, app}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @BeforeEach
    void skipWhereNotRunnable() {
        assumeTrue(skipReason == null, skipReason);
    }

    @Test
    void latencyHistogramBatchSizeAndQueueDepthAreInPrometheus() throws Exception {
        JsonNode buckets = query("age_requests_seconds_bucket{job=\"dldl-age\",outcome=\"ok\"}");
        assertThat(buckets.size()).as("latency buckets").isGreaterThan(5);
        assertThat(buckets.findValuesAsText("le")).contains("+Inf");
        double p99 = query("histogram_quantile(0.99, sum by (le) (rate(age_requests_seconds_bucket{job=\"dldl-age\"}[1m])))")
                .get(0).path("value").get(1).asDouble();
        assertThat(p99).as("p99 latency in seconds").isPositive().isLessThan(60);

        JsonNode batch = query("sum(age_batch_size_faces_count{job=\"dldl-age\"})");
        assertThat(batch.get(0).path("value").get(1).asDouble()).as("forward passes").isPositive();
        assertThat(query("age_batch_size_faces_bucket{job=\"dldl-age\"}").findValuesAsText("le")).contains("1.0", "32.0");

        JsonNode depth = query("age_queue_depth_faces{job=\"dldl-age\"}");
        assertThat(depth.size()).as("one queue per served model").isEqualTo(servedModels());
        depth.forEach(d -> assertThat(d.path("value").get(1).asDouble()).as("queue depth after the load").isZero());
        assertThat(query("age_queue_remaining_faces{job=\"dldl-age\"}").get(0).path("value").get(1).asInt())
                .isEqualTo(Integer.parseInt(org.dldlage.support.PropertyDefaults.age().get("age.batching.queue-capacity")));
    }

    @Test
    void everyDashboardQueryReturnsASeries() throws Exception {
        Map<String, String> queries = OpsFiles.dashboardQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        List<String> empty = new ArrayList<>();
        queries.forEach((panel, expr) -> {
            try {
                if (query(OpsFiles.withGrafanaVariables(expr, "1m")).isEmpty()) {
                    empty.add(panel + ": " + expr);
                }
            } catch (Exception e) {
                empty.add(panel + ": " + expr + " -> " + e.getMessage());
            }
        });
        assertThat(empty).as("dashboard queries that return no series").isEmpty();
    }

    @Test
    void rejectionsCarryTheNotReadyReasonSeenDuringStartup() throws Exception {
        assertThat(startupStatuses).as("statuses while the model loaded").contains(503);
        JsonNode r = query("sum by (reason) (age_rejections_total{job=\"dldl-age\"})");
        assertThat(r.findValuesAsText("reason")).contains("not_ready");
    }

    @Test
    void everyAlertRuleLoadsAndEvaluates() throws Exception {
        JsonNode groups = api("/api/v1/rules").path("data").path("groups");
        List<JsonNode> rules = new ArrayList<>();
        groups.forEach(g -> g.path("rules").forEach(rules::add));
        List<Map<String, Object>> declared = at(OpsFiles.yaml("ops/prometheus/alerts.yml"), "groups", 0, "rules");
        assertThat(rules).hasSize(declared.size());
        for (JsonNode rule : rules) {
            assertThat(rule.path("health").asText()).as(rule.path("name").asText() + " " + rule.path("lastError").asText())
                    .isEqualTo("ok");
        }
        // nothing is wrong with this replica: no alert is firing or pending
        assertThat(api("/api/v1/alerts").path("data").path("alerts").size()).isZero();
    }

    @Test
    void kubernetesProbePathsAndTheAutoscalerMetricExistOnTheRealJar() throws Exception {
        Map<String, Object> c = at(OpsFiles.yamlDocuments(OpsFiles.ROOT.resolve("k8s/base/deployment.yaml")).get(0),
                "spec", "template", "spec", "containers", 0);
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            String path = at(c, probe, "httpGet", "path");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(appUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(probe + " " + path).isEqualTo(200);
            assertThat(r.body()).contains("\"UP\"");
        }
        String metric = at(OpsFiles.yamlDocuments(OpsFiles.ROOT.resolve("k8s/base/hpa.yaml")).get(0),
                "spec", "metrics", 1, "pods", "metric", "name");
        // one series per served model; the adapter sums them per pod (k8s/prometheus-adapter/values.yaml)
        assertThat(query(metric + "{job=\"dldl-age\"}").size()).as("HPA custom metric " + metric).isEqualTo(servedModels());
        assertThat(Files.readString(OpsFiles.ROOT.resolve("k8s/prometheus-adapter/values.yaml"))).contains("sum by (<<.GroupBy>>)");
    }

    /** The bundles of the store the service was started on (every one is served). */
    private static long servedModels() throws IOException {
        try (var dirs = Files.list(OpsFiles.ROOT.resolve("model-store"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("model.json"))).count();
        }
    }

    private static HttpResponse<String> postAge(byte[] body, String query) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(appUrl + "/v1/age" + (query.isEmpty() ? "" : "?" + query)))
                .header("Content-Type", "image/jpeg").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(promUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        assertThat(json.path("status").asText()).as(pathAndQuery + " -> " + r.body()).isEqualTo("success");
        return json;
    }

    /** An instant query's result vector. */
    private static JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data");
        assertThat(data.path("resultType").asText()).as(promql).isEqualTo("vector");
        return data.path("result");
    }

    private static JsonNode queryOrNull(String promql) throws InterruptedException {
        try {
            return query(promql);
        } catch (IOException | AssertionError e) {
            return null; // Prometheus still starting
        }
    }

    private static boolean onPath(String binary) {
        if (binary.contains("/")) {
            return Files.isExecutable(Path.of(binary));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(String log) {
        try {
            List<String> lines = Files.readAllLines(tmp.resolve(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }
}
