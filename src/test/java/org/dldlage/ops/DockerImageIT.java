package org.dldlage.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dldlage.ops.OpsFiles.at;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The built image (cpu; {@code -Ddldl.image}, default {@code dldl-age:cpu}, built by
 * {@code scripts/docker-ci.sh} or {@code docker build -t dldl-age:cpu .}) run as compose and the
 * Kubernetes Deployment run it: read-only root, the image's non-root user, a noexec tmpfs on /tmp, no
 * capabilities, the Deployment's memory and CPU limits. Checks readiness, a real photo's age, a real
 * Prometheus container scraping it with the project's scrape config and alert rules, resident memory
 * through a 64-client burst, SIGTERM while 8 clients post, and a corrupt bundle stopping start-up in one
 * line. Nothing is pulled or built here (run with Ryuk off: the pom sets TESTCONTAINERS_RYUK_DISABLED).
 * Skipped, with the reason, where no Docker engine answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerImageIT {

    private static final String IMAGE = System.getProperty("dldl.image", "dldl-age:cpu");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUNDLE = "model-store/utk-appa-aaf-thinagenet-64"; // the default

    static DockerClient docker;
    static String skipReason;
    static Network network;
    static GenericContainer<?> service;
    static GenericContainer<?> prometheus;
    static Http http;
    static long memoryLimit;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startTheImage() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                skipReason = "no Docker engine";
            }
        } catch (RuntimeException e) {
            skipReason = "no Docker engine (" + e.getMessage() + ")";
        }
        if (skipReason != null) {
            skipReason += " answers on DOCKER_HOST or /var/run/docker.sock: the image is not run here "
                    + "(scripts/docker-ci.sh installs and starts one, then builds the image); test skipped";
            return;
        }
        docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            throw new AssertionError("a Docker engine answers but has no image " + IMAGE + ": build it first "
                    + "(scripts/docker-ci.sh build, after ./mvnw -B package -DskipTests; or docker build -t " + IMAGE + " .)");
        }
        memoryLimit = bytes(at(container(), "resources", "limits", "memory"));
        network = Network.newNetwork();
        service = asTheManifestsRunIt();
        service.withNetwork(network).withNetworkAliases("dldl-age").withExposedPorts(containerPort())
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(4)));
        service.start();
        http = new Http(service.getMappedPort(containerPort()));
    }

    /** The image with a read-only root, noexec tmpfs /tmp, no capabilities or privilege gain, the Deployment's limits. */
    private static GenericContainer<?> asTheManifestsRunIt() {
        long limit = bytes(at(container(), "resources", "limits", "memory"));
        long nanoCpus = (long) (Double.parseDouble(String.valueOf((Object) at(container(), "resources", "limits", "cpu"))) * 1e9);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(IMAGE));
        c.withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=256m"));
        c.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true)
                .withMemory(limit).withMemorySwap(limit).withNanoCPUs(nanoCpus)
                .withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges")));
        return c;
    }

    @AfterAll
    static void stop() {
        for (GenericContainer<?> c : Arrays.asList(prometheus, service)) {
            if (c != null) {
                c.stop();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    @BeforeEach
    void skipWithoutAnEngine() {
        assumeTrue(skipReason == null, skipReason);
    }

    private static Map<String, Object> container() {
        List<Map<String, Object>> docs = OpsFiles.yamlDocuments(OpsFiles.ROOT.resolve("k8s/base/deployment.yaml"));
        return at(docs.get(0), "spec", "template", "spec", "containers", 0);
    }

    private static int containerPort() {
        return at(container(), "ports", 0, "containerPort");
    }

    /** A Kubernetes memory quantity (Mi, Gi) in bytes. */
    static long bytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << 30;
        }
        assertThat(quantity).endsWith("Mi");
        return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << 20;
    }

    @Test
    @Order(1)
    void startsReadyAsTheManifestsExpectAndLogsNoWarning() throws Exception {
        Map<String, Object> c = container();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            HttpResponse<String> r = http.get(at(c, probe, "httpGet", "path"));
            assertThat(r.statusCode()).as(probe + ": " + r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("UP");
        }
        // the image's HEALTHCHECK agrees, and it runs as the Deployment's user
        assertThat(service.execInContainer("healthcheck").getExitCode()).isZero();
        Map<String, Object> pod = at(OpsFiles.yamlDocuments(OpsFiles.ROOT.resolve("k8s/base/deployment.yaml")).get(0),
                "spec", "template", "spec", "securityContext");
        assertThat(service.execInContainer("id", "-u").getStdout().strip()).isEqualTo(String.valueOf(pod.get("runAsUser")));
        assertThat(service.execInContainer("id", "-g").getStdout().strip()).isEqualTo(String.valueOf(pod.get("runAsGroup")));

        // the image itself: the port, user, working directory (the ConfigMap's mount) and default model
        InspectImageResponse image = docker.inspectImageCmd(IMAGE).exec();
        assertThat(image.getConfig().getExposedPorts()).contains(ExposedPort.tcp(containerPort()));
        assertThat(image.getConfig().getUser()).isEqualTo(pod.get("runAsUser") + ":" + pod.get("runAsGroup"));
        assertThat((String) at(c, "volumeMounts", 0, "mountPath")).isEqualTo(image.getConfig().getWorkingDir() + "/config");
        Map<String, Object> cm = OpsFiles.yamlString(at(OpsFiles.yamlDocuments(OpsFiles.ROOT.resolve("k8s/base/configmap.yaml")).get(0),
                "data", "application.yml"));
        assertThat(image.getConfig().getEnv()).contains("AGE_MODELS_DEFAULT=" + at(cm, "age", "models", "default"));

        // a CPU-only start on a read-only root: no CUDA probe warning, no JNA stub failing in the noexec
        // /tmp, no native library unpacked again, no springdoc production warning; nothing but INFO
        String logs = service.getLogs();
        assertThat(logs).contains("Started DldlAgeApplication").contains("native allocator: jemalloc");
        assertThat(logs.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList())
                .as("start-up warnings and errors").isEmpty();
        assertThat(logs).doesNotContainIgnoringCase("cuda").doesNotContain("failed to map segment")
                .doesNotContain("Downloading").doesNotContain("Extracting");
    }

    @Test
    @Order(2)
    void estimatesPlausibleAgesForRealPhotos() throws Exception {
        // FG-NET photos (whole photos of varied size: MTCNN finds and aligns the face) of adults; the name
        // holds the age (001A29.JPG: person 1 at 29)
        List<Path> photos;
        try (Stream<Path> files = Files.list(SharedData.fgnet().resolve("images"))) {
            photos = files.filter(p -> {
                int age = Integer.parseInt(p.getFileName().toString().replaceAll("^\\d+A(\\d+)\\D.*$", "$1"));
                return age >= 20 && age <= 50;
            }).sorted().limit(10).toList();
        }
        assertThat(photos).hasSize(10);
        double absError = 0;
        for (Path photo : photos) {
            HttpResponse<String> r = http.raw("/v1/age", Files.readAllBytes(photo), "image/jpeg");
            assertThat(r.statusCode()).as(photo + ": " + r.body()).isEqualTo(200);
            JsonNode faces = JSON.readTree(r.body()).path("faces");
            assertThat(faces.size()).as(photo + " faces").isPositive();
            double age = faces.get(0).path("age").asDouble();
            int truth = Integer.parseInt(photo.getFileName().toString().replaceAll("^\\d+A(\\d+)\\D.*$", "$1"));
            assertThat(age).as(photo.getFileName() + " (age " + truth + ")").isBetween(truth - 25.0, truth + 25.0);
            absError += Math.abs(age - truth);
        }
        System.out.printf("DockerImageIT: %d FG-NET photos of adults, mean absolute error %.1f years%n",
                photos.size(), absError / photos.size());
        assertThat(absError / photos.size()).as("mean absolute error, years").isLessThan(12);
    }

    @Test
    @Order(3)
    void aPrometheusContainerScrapesItWithTheProjectsConfigAndRules() throws Exception {
        // the compose file's Prometheus image unless -Ddldl.prometheus.image names a local stand-in
        String composeImage = at(OpsFiles.yaml("docker-compose.yml"), "services", "prometheus", "image");
        String promImage = System.getProperty("dldl.prometheus.image",
                composeImage.replaceAll("^\\$\\{[A-Z_]+:-(.+)}$", "$1"));
        assumeTrue(imagePresent(promImage), "no Prometheus image " + promImage + " in the engine (none is pulled: "
                + "scripts/standin-base-images.sh prometheus builds one; -Ddldl.prometheus.image names it); test skipped");
        // ops/prometheus unchanged: it scrapes dldl-age:8080, the service's alias on this network
        prometheus = new GenericContainer<>(DockerImageName.parse(promImage)).withNetwork(network)
                // copied in through the API: a bind mount makes Testcontainers probe mounting with an image it would pull
                .withCopyFileToContainer(MountableFile.forHostPath(OpsFiles.PROMETHEUS_CONFIG.getParent()), "/etc/prometheus/")
                .withCommand("--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus")
                .withExposedPorts(9090)
                .waitingFor(Wait.forHttp("/-/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(1)));
        prometheus.start();
        String prom = "http://127.0.0.1:" + prometheus.getMappedPort(9090);

        byte[] face = SharedData.utkfaceCrops(1).get(0);
        for (int i = 0; i < 5; i++) {
            assertThat(http.raw("/v1/age", face, "image/jpeg").statusCode()).isEqualTo(200);
        }
        JsonNode up = await(prom, "up{job=\"dldl-age\"}", 1);
        assertThat(up.get(0).path("metric").path("instance").asText()).isEqualTo("dldl-age:" + containerPort());
        await(prom, "sum(age_requests_seconds_count{job=\"dldl-age\",outcome=\"ok\"})", 5);

        // every alert rule loaded and evaluated without error
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            JsonNode groups = get(prom + "/api/v1/rules").path("data").path("groups");
            List<String> health = new ArrayList<>();
            groups.forEach(g -> g.path("rules").forEach(r -> health.add(r.path("name").asText() + "=" + r.path("health").asText())));
            assertThat(health).as("alert rules").isNotEmpty().noneMatch(h -> h.endsWith("=err"));
            if (health.stream().allMatch(h -> h.endsWith("=ok"))) {
                assertThat(health).anyMatch(h -> h.startsWith("DldlAgeDown="));
                break;
            }
            assertThat(System.nanoTime()).as("rules not all evaluated: " + health).isLessThan(until);
            Thread.sleep(1000);
        }
    }

    @Test
    @Order(4)
    void residentMemoryStaysUnderTheContainerLimitThroughA64ClientBurst() throws Exception {
        long ready = status("VmRSS:");
        // UTKFace crops and whole FG-NET photos (larger, detected by MTCNN): 64 clients, 4 requests each
        List<byte[]> images = new ArrayList<>(SharedData.utkfaceCrops(32));
        try (Stream<Path> files = Files.list(SharedData.fgnet().resolve("images"))) {
            for (Path p : files.sorted().limit(32).toList()) {
                images.add(Files.readAllBytes(p));
            }
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> samples = new ArrayList<>();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    samples.add(status("VmRSS:"));
                    Thread.sleep(500);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sampler.start();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        try {
            for (int round = 0; round < 4; round++) {
                for (HttpResponse<String> r : Http.burst(images, img -> http.raw("/v1/age", img, "image/jpeg"))) {
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                }
            }
        } finally {
            running.set(false);
            sampler.join();
        }
        long peak = status("VmHWM:");
        InspectContainerResponse state = docker.inspectContainerCmd(service.getContainerId()).exec();
        System.out.printf("DockerImageIT: resident memory %d MiB ready, %d MiB peak (VmHWM; %d samples, max %d MiB) "
                + "through 4 bursts of 64 clients, limit %d MiB; answers %s%n", ready >> 20, peak >> 20, samples.size(),
                samples.stream().mapToLong(Long::longValue).max().orElse(0) >> 20, memoryLimit >> 20, statuses);
        assertThat(state.getState().getRunning()).isTrue();
        assertThat(state.getState().getOOMKilled()).isFalse();
        assertThat(peak).as("peak resident memory").isLessThan(memoryLimit);
        // overload answers 429 (queue full) or 504 (past the deadline: MTCNN on whole photos from 64 clients
        // on 2 shared cores) rather than failing; the service kept answering throughout
        assertThat(statuses.keySet()).as("statuses").isSubsetOf(200, 429, 504);
        assertThat(statuses.getOrDefault(200, 0)).isGreaterThan(images.size() / 2);
    }

    /** A line of /proc/1/status (the JVM: the image's entry point is exec-form java) in bytes. */
    private static long status(String key) throws Exception {
        String s = service.execInContainer("cat", "/proc/1/status").getStdout();
        String line = s.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
    }

    @Test
    @Order(5)
    void aCorruptBundleStopsStartUpWithOneLine() throws Exception {
        Path bundle = tmp.resolve("corrupt");
        Files.createDirectories(bundle);
        try (Stream<Path> files = Files.list(OpsFiles.ROOT.resolve(BUNDLE))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, bundle.resolve(f.getFileName()));
            }
        }
        byte[] params = Files.readAllBytes(bundle.resolve("age.params"));
        params[params.length / 2] ^= 0x5a; // same size, another checksum
        Files.write(bundle.resolve("age.params"), params);
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rwxr-xr-x")); // readable by uid 10001
        try (Stream<Path> files = Files.list(bundle)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }

        String id = docker.createContainerCmd(IMAGE).withHostConfig(HostConfig.newHostConfig().withReadonlyRootfs(true)
                        .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=256m")).withMemory(memoryLimit)
                        .withBinds(new Bind(bundle.toString(), new Volume("/app/" + BUNDLE), AccessMode.ro)))
                .exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            int exit = docker.waitContainerCmd(id).start().awaitStatusCode(5, TimeUnit.MINUTES);
            String logs = logs(id);
            List<String> errors = logs.lines().filter(l -> l.contains(" ERROR ")).toList();
            assertThat(exit).as(logs).isNotZero();
            assertThat(errors).as(logs).hasSize(1);
            assertThat(errors.get(0)).contains("dldl-age did not start: model bundle " + BUNDLE
                    + ": parameter file age.params has SHA-256");
            assertThat(logs).doesNotContain("\tat ").doesNotContain("APPLICATION FAILED TO START");
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    @Test
    @Order(6)
    void dockerStopWhileEightClientsPostLosesNoAcceptedRequest() throws Exception {
        // Its own container on the host's network (loopback only), with a kept-alive connection per client,
        // opened long before the stop: Docker's port proxy would accept connections the service never
        // did, and fresh connections racing the listener's close would be reset by the kernel unaccepted.
        // A client stops once an answer says the connection closes (the service is draining) or its
        // next connection is refused; any other failure is an accepted request lost.
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GenericContainer<?> c = asTheManifestsRunIt();
        c.withNetworkMode("host").withEnv("SERVER_PORT", String.valueOf(port)).withEnv("SERVER_ADDRESS", "127.0.0.1")
                // logged once the default model is ready (the image's HEALTHCHECK, with its 5 s timeout, was
                // too impatient on a loaded machine)
                .waitingFor(Wait.forLogMessage(".*Started DldlAgeApplication.*", 1).withStartupTimeout(Duration.ofMinutes(5)));
        c.start();
        List<byte[]> faces = SharedData.utkfaceCrops(8);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        AtomicBoolean stopped = new AtomicBoolean();
        // when docker stop was called: a 200 whose request was sent before and answered after it was in flight at SIGTERM
        java.util.concurrent.atomic.AtomicLong stopAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        long okAfterSigterm = 0;
        try {
            List<Future<Long>> loops = new ArrayList<>();
            for (byte[] face : faces) {
                loops.add(clients.submit(() -> {
                    long after = 0;
                    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        socket.setSoTimeout(60_000);
                        while (System.nanoTime() < until) {
                            boolean sentAfterStop = stopped.get();
                            long sent = System.nanoTime();
                            String[] answer = post(socket, face);
                            long answered = System.nanoTime();
                            if (sentAfterStop && answer[0].equals("no answer (0 bytes)")) {
                                // the drain closed this kept-alive connection once its last answer was sent, as
                                // the request was on its way: HTTP's keep-alive race, the request never read;
                                // a client resends such a request on a new connection
                                answer[0] = "closed idle";
                            }
                            outcomes.merge(answer[0], 1, Integer::sum);
                            if (answer[0].equals("200") && sent - stopAt.get() < 0 && answered - stopAt.get() > 0) {
                                after++;
                            }
                            if (!answer[0].matches("\\d+") || answer[1].equals("close")) {
                                break;
                            }
                        }
                    }
                    // the next connection is refused once the service has gone
                    while (System.nanoTime() < until) {
                        try (Socket probe = new Socket()) {
                            probe.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                        } catch (ConnectException e) {
                            outcomes.merge("refused", 1, Integer::sum);
                            break;
                        }
                        Thread.sleep(100);
                    }
                    return after;
                }));
            }
            while (outcomes.getOrDefault("200", 0) < 40) {
                Thread.sleep(50);
            }
            stopped.set(true);
            long t0 = System.nanoTime();
            stopAt.set(t0);
            // compose's stop_grace_period (30 s); SIGTERM, then SIGKILL after it
            docker.stopContainerCmd(c.getContainerId()).withTimeout(30).exec();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (Future<Long> f : loops) {
                okAfterSigterm += f.get(3, TimeUnit.MINUTES);
            }
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(c.getContainerId()).exec().getState();
            System.out.printf("DockerImageIT: docker stop took %d ms, exit code %d; outcomes %s; %d in flight at SIGTERM answered 200%n",
                    stopMillis, state.getExitCodeLong(), outcomes, okAfterSigterm);
            // 143 = 128 + SIGTERM: the JVM shut down on the signal, not killed (137) at the grace period's end
            assertThat(state.getExitCodeLong()).as(c.getLogs()).isIn(0L, 143L);
            // every request got a whole answer: 200, or 503 while draining (429 and 504, overload answers,
            // only on a starved machine); none cut off or unanswered
            assertThat(outcomes.keySet()).as("outcomes").isSubsetOf("200", "503", "429", "504", "refused", "closed idle");
            assertThat(outcomes.getOrDefault("closed idle", 0)).as("at most once per connection").isLessThanOrEqualTo(8);
            assertThat(okAfterSigterm).as("requests in flight at SIGTERM answered").isPositive();
            assertThat(outcomes.getOrDefault("200", 0)).isGreaterThanOrEqualTo(40);
            assertThat(outcomes.getOrDefault("refused", 0)).as("every client saw the service go").isEqualTo(8);
        } finally {
            clients.shutdownNow();
            c.stop();
        }
    }

    /**
     * One request on the kept-alive connection: {status, "close" or "keep-alive"} for a whole answer, or
     * {what went wrong, ""} when an accepted request got no whole answer.
     */
    private static String[] post(Socket s, byte[] body) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/age HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 ")) {
                return new String[] {"no answer (" + head.length() + " bytes)", ""};
            }
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(lower);
            if (length.find()) {
                byte[] rest = in.readNBytes(Integer.parseInt(length.group(1)));
                if (rest.length < Integer.parseInt(length.group(1))) {
                    return new String[] {"cut short", ""};
                }
            } else if (lower.contains("transfer-encoding: chunked")) {
                if (!readChunks(in)) {
                    return new String[] {"cut short", ""};
                }
            }
            return new String[] {head.substring(9, 12), lower.contains("\r\nconnection: close") ? "close" : "keep-alive"};
        } catch (IOException e) {
            return new String[] {"lost: " + e, ""};
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    /** Reads a chunked body to its end; false when the connection ends first. */
    private static boolean readChunks(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.append((char) b);
            }
            if (b == -1) {
                return false;
            }
            int size = Integer.parseInt(line.toString().strip().split(";")[0], 16);
            byte[] chunk = in.readNBytes(size + 2);
            if (chunk.length < size + 2) {
                return false;
            }
            if (size == 0) {
                return true;
            }
        }
    }

    private static boolean imagePresent(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String logs(String id) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        return sb.toString();
    }

    private static final HttpClient PROM = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = PROM.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Polls an instant query until it has one series whose value reaches {@code atLeast}. */
    private static JsonNode await(String prom, String promql, double atLeast) throws Exception {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            JsonNode result = get(prom + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                    .path("data").path("result");
            if (result.size() == 1 && result.get(0).path("value").get(1).asDouble() >= atLeast) {
                return result;
            }
            assertThat(System.nanoTime()).as("Prometheus never had " + promql + " >= " + atLeast + ": " + result
                    + "; " + prometheus.getLogs()).isLessThan(until);
            Thread.sleep(1000);
        }
    }
}
