package org.dldlage.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dldlage.ops.OpsFiles.at;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Parses every Kubernetes manifest, the compose file, the Prometheus and Grafana files and the
 * Dockerfile, and checks the fields that must agree with the code: probe paths are health groups the
 * service defines, ports are the service's port, image names and variants are the Dockerfile's, the
 * termination grace covers the service's drain, the ConfigMap only sets properties that exist.
 */
class DeploymentManifestsTest {

    private static final Map<String, Object> APP = OpsFiles.applicationYml();
    private static final int SERVER_PORT = (Integer) at(APP, "server", "port");

    private static Map<String, Object> k8s(String kind, String file) {
        List<Map<String, Object>> docs = OpsFiles.yamlDocuments(OpsFiles.ROOT.resolve(file));
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no " + kind));
    }

    private static Map<String, Object> deployment() {
        return k8s("Deployment", "k8s/base/deployment.yaml");
    }

    private static Map<String, Object> container() {
        return at(deployment(), "spec", "template", "spec", "containers", 0);
    }

    private static Map<String, Object> configMapApplicationYml() {
        return OpsFiles.yamlString(at(k8s("ConfigMap", "k8s/base/configmap.yaml"), "data", "application.yml"));
    }

    private static Duration springDuration(Object value) {
        String s = String.valueOf(value).strip();
        Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(s);
        assertThat(m.matches()).as("duration " + s).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    @Test
    void everyManifestParsesAndNamesItsKind() {
        List<Path> files = new ArrayList<>(OpsFiles.yamlFiles("k8s"));
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path f : files) {
            List<Map<String, Object>> docs = OpsFiles.yamlDocuments(f);
            assertThat(docs).as(f.toString()).isNotEmpty();
            if (f.toString().contains("prometheus-adapter")) {
                continue; // Helm values, not a Kubernetes object
            }
            for (Map<String, Object> d : docs) {
                assertThat(d.get("apiVersion")).as(f + " apiVersion").isNotNull();
                assertThat(d.get("kind")).as(f + " kind").isNotNull();
                if (!"Kustomization".equals(d.get("kind"))) {
                    assertThat((String) at(d, "metadata", "name")).as(f + " metadata.name").isNotBlank();
                }
            }
        }
        for (Path f : OpsFiles.yamlFiles("ops")) {
            assertThat(OpsFiles.yamlDocuments(f)).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void kustomizationsListEveryFileThatExists() throws Exception {
        Map<String, Object> base = OpsFiles.yaml("k8s/base/kustomization.yaml");
        Set<String> listed = new HashSet<>(at(base, "resources"));
        Set<String> present = new HashSet<>();
        try (var files = Files.list(OpsFiles.ROOT.resolve("k8s/base"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).forEach(present::add);
        }
        assertThat(listed).as("k8s/base/kustomization.yaml resources").isEqualTo(present);
        for (String overlay : List.of("cpu", "gpu")) {
            Map<String, Object> k = OpsFiles.yaml("k8s/overlays/" + overlay + "/kustomization.yaml");
            assertThat((List<String>) at(k, "resources")).containsExactly("../../base");
            List<Map<String, Object>> patches = at(k, "patches");
            if (patches != null) {
                for (Map<String, Object> p : patches) {
                    assertThat(OpsFiles.ROOT.resolve("k8s/overlays/" + overlay).resolve((String) p.get("path"))).exists();
                }
            }
        }
    }

    @Test
    void probesPointAtTheServiceHealthGroups() {
        assertThat((Boolean) at(APP, "management", "endpoint", "health", "probes", "enabled")).isTrue();
        assertThat(String.valueOf((Object) at(APP, "management", "endpoints", "web", "exposure", "include"))).contains("health");
        Map<String, Object> groups = at(APP, "management", "endpoint", "health", "group");
        Map<String, Object> c = container();
        String portName = at(c, "ports", 0, "name");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            String path = at(c, probe, "httpGet", "path");
            assertThat(path).as(probe).startsWith("/actuator/health/");
            String group = path.substring("/actuator/health/".length());
            assertThat(groups).as(probe + " group " + group).containsKey(group);
            assertThat((Object) at(c, probe, "httpGet", "port")).as(probe + " port").isIn(portName, SERVER_PORT);
        }
        // readiness must be the group that includes the model: it is what turns DOWN while loading and draining
        assertThat((String) at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(String.valueOf((Object) at(groups, "readiness", "include"))).contains("model");
    }

    @Test
    void portsAreTheServicePort() {
        Map<String, Object> c = container();
        assertThat((Integer) at(c, "ports", 0, "containerPort")).isEqualTo(SERVER_PORT);
        assertThat((Integer) at(configMapApplicationYml(), "server", "port")).isEqualTo(SERVER_PORT);
        Map<String, Object> svc = k8s("Service", "k8s/base/service.yaml");
        assertThat((String) at(svc, "spec", "ports", 0, "targetPort")).isEqualTo(at(c, "ports", 0, "name"));
        Map<String, Object> sm = k8s("ServiceMonitor", "k8s/base/servicemonitor.yaml");
        assertThat((String) at(sm, "spec", "endpoints", 0, "port")).isEqualTo(at(svc, "spec", "ports", 0, "name"));
        assertThat(OpsFiles.find(OpsFiles.read("Dockerfile"), "^EXPOSE (\\d+)")).isEqualTo(String.valueOf(SERVER_PORT));
        Map<String, Object> compose = OpsFiles.yaml("docker-compose.yml");
        assertThat((List<String>) at(compose, "services", "dldl-age", "ports")).singleElement(
                org.assertj.core.api.InstanceOfAssertFactories.STRING).endsWith(":" + SERVER_PORT);
        String target = at(OpsFiles.yaml("ops/prometheus/prometheus.yml"), "scrape_configs", 0, "static_configs", 0, "targets", 0);
        assertThat(target).isEqualTo("dldl-age:" + SERVER_PORT);
        assertThat(at(c, "readinessProbe", "httpGet", "port").equals(at(c, "ports", 0, "name"))).isTrue();
    }

    @Test
    void metricsAreScrapedWhereTheServiceExposesThem() {
        assertThat(String.valueOf((Object) at(APP, "management", "endpoints", "web", "exposure", "include"))).contains("prometheus");
        Map<String, Object> job = at(OpsFiles.yaml("ops/prometheus/prometheus.yml"), "scrape_configs", 0);
        assertThat((String) job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> sm = k8s("ServiceMonitor", "k8s/base/servicemonitor.yaml");
        assertThat((String) at(sm, "spec", "endpoints", 0, "path")).isEqualTo(job.get("metrics_path"));
        assertThat((String) at(deployment(), "spec", "template", "metadata", "annotations", "prometheus.io/path"))
                .isEqualTo(job.get("metrics_path"));
        // the dashboard and alerts select the scrape job by name
        String jobSelector = "job=\"" + job.get("job_name") + "\"";
        OpsFiles.dashboardQueries().forEach((panel, expr) -> assertThat(expr).as(panel).contains(jobSelector));
        assertThat(OpsFiles.read("ops/prometheus/alerts.yml")).contains(jobSelector);
        List<String> rules = at(OpsFiles.yaml("ops/prometheus/prometheus.yml"), "rule_files");
        rules.forEach(r -> assertThat(OpsFiles.PROMETHEUS_CONFIG.resolveSibling(r)).exists());
    }

    @Test
    void imageNamesAndVariantsAreTheDockerfiles() {
        String dockerfile = OpsFiles.read("Dockerfile");
        String title = OpsFiles.find(dockerfile, "org\\.opencontainers\\.image\\.title=\"([^\"]+)\"");
        assertThat(title).isEqualTo("dldl-age");
        Set<String> variants = new HashSet<>();
        Matcher m = Pattern.compile("^FROM \\S+ AS base-(\\w+)$", Pattern.MULTILINE).matcher(dockerfile);
        while (m.find()) {
            variants.add(m.group(1));
        }
        assertThat(variants).containsExactlyInAnyOrder("cpu", "cuda");
        assertThat(OpsFiles.find(dockerfile, "^ARG VARIANT=(\\w+)$")).isEqualTo("cpu");
        // the cuda variant's base matches the -Pcuda native library (cu118 needs CUDA 11.8 and cuDNN 8)
        assertThat(OpsFiles.read("pom.xml")).contains("<pytorch.native.artifact>pytorch-native-cu118</pytorch.native.artifact>");
        assertThat(baseImage(dockerfile, "base-cuda")).matches("nvidia/cuda:11\\.8\\.\\d+-cudnn8-runtime-.+");
        // the stages take their public base images as build arguments (local stand-ins where Docker Hub is out of reach)
        assertThat(baseImage(dockerfile, "base-cpu")).isEqualTo("eclipse-temurin:17-jre-jammy");
        assertThat(baseImage(dockerfile, "build")).isEqualTo("eclipse-temurin:17-jdk-jammy");
        assertThat(dockerfile).doesNotContain("# syntax=");

        assertThat((String) at(container(), "image")).isEqualTo(title + ":cpu");
        for (String overlay : List.of("cpu", "gpu")) {
            Map<String, Object> img = at(OpsFiles.yaml("k8s/overlays/" + overlay + "/kustomization.yaml"), "images", 0);
            assertThat(img.get("name")).isEqualTo(title);
            assertThat(variants).contains((String) img.get("newTag"));
        }
        assertThat((String) at(OpsFiles.yaml("k8s/overlays/gpu/kustomization.yaml"), "images", 0, "newTag")).isEqualTo("cuda");
        Map<String, Object> svc = at(OpsFiles.yaml("docker-compose.yml"), "services", "dldl-age");
        assertThat((String) svc.get("image")).isEqualTo(title + ":${VARIANT:-cpu}");
        assertThat((String) at(svc, "build", "args", "VARIANT")).isEqualTo("${VARIANT:-cpu}");
    }

    /** The default of the build argument a stage's FROM names, or the image it names. */
    private static String baseImage(String dockerfile, String stage) {
        String from = OpsFiles.find(dockerfile, "^FROM (\\S+) AS " + stage + "$");
        Matcher arg = Pattern.compile("^\\$\\{(\\w+)}$").matcher(from);
        return arg.matches() ? OpsFiles.find(dockerfile, "^ARG " + arg.group(1) + "=(\\S+)$") : from;
    }

    /** A -XX:Name=SIZE or -XmxSIZE option of the image's JAVA_TOOL_OPTIONS, in MiB. */
    private static long jvmOptionMiB(String options, String prefix) {
        Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(prefix) + "(\\d+)([mg])(?: |$)").matcher(options);
        assertThat(m.find()).as(prefix + " in " + options).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
    }

    @Test
    void memoryIsBoundedDeliberatelyInTheImageComposeTheManifestsAndTheReadme() {
        String options = OpsFiles.find(OpsFiles.read("Dockerfile"), "JAVA_TOOL_OPTIONS=\"([^\"]+)\"");
        long heap = jvmOptionMiB(options, "-Xmx");
        long bounded = heap + jvmOptionMiB(options, "-XX:MaxDirectMemorySize=") + jvmOptionMiB(options, "-XX:MaxMetaspaceSize=")
                + jvmOptionMiB(options, "-XX:ReservedCodeCacheSize=");
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("RAMPercentage");
        long limit = DockerImageIT.bytes(at(container(), "resources", "limits", "memory")) >> 20;
        long request = DockerImageIT.bytes(at(container(), "resources", "requests", "memory")) >> 20;
        // what the JVM may take leaves a quarter of the limit to PyTorch's native memory (~0.5 GiB measured)
        assertThat(bounded).as("heap + direct + metaspace + code cache, MiB").isLessThanOrEqualTo(limit * 3 / 4);
        assertThat(request).isLessThanOrEqualTo(limit).isGreaterThan(bounded);
        // compose runs it under the same limits; the README's docker run too
        Map<String, Object> svc = at(OpsFiles.yaml("docker-compose.yml"), "services", "dldl-age");
        assertThat(DockerImageIT.bytes(svc.get("mem_limit").toString().replace("g", "Gi").replace("m", "Mi")) >> 20).isEqualTo(limit);
        assertThat(String.valueOf(svc.get("cpus"))).isEqualTo(String.valueOf((Object) at(container(), "resources", "limits", "cpu")));
        String readme = OpsFiles.read("README.md");
        assertThat(readme).contains("docker run --rm -p 8080:8080 --read-only --tmpfs /tmp --memory " + svc.get("mem_limit")
                + " --cpus " + svc.get("cpus") + " dldl-age:cpu");
        // the README's java -jar command bounds the heap as the image does
        assertThat(readme).contains("java -Xmx" + heap + "m -jar target/dldl-age.jar");
        // the GPU pod keeps the same JVM bounds and gets more room for the CUDA context
        Map<String, Object> gpu = at(OpsFiles.yaml("k8s/overlays/gpu/gpu.yaml"), "spec", "template", "spec", "containers", 0);
        assertThat(DockerImageIT.bytes(at(gpu, "resources", "limits", "memory")) >> 20).isGreaterThan(limit);
    }

    @Test
    void theImageNeedsNoJnaStubAndTheManifestsSetOnlyRealProperties() {
        // the image gives libgomp's spin count itself, so EngineSetup never loads JNA (its stub would be
        // unpacked into the noexec /tmp)
        assertThat(OpsFiles.find(OpsFiles.read("Dockerfile"), "^ENV GOMP_SPINCOUNT=(\\d+)$"))
                .isEqualTo(org.dldlage.app.engine.EngineSetup.OMP_SPIN_COUNT);
        // every environment variable the manifests set binds to a property the service has
        Map<String, Object> properties = OpsFiles.serviceProperties();
        List<Map<String, Object>> env = new ArrayList<>();
        Map<String, Object> gpu = at(OpsFiles.yaml("k8s/overlays/gpu/gpu.yaml"), "spec", "template", "spec", "containers", 0);
        for (Map<String, Object> c : List.of(container(), gpu)) {
            if (c.get("env") != null) {
                env.addAll(at(c, "env"));
            }
        }
        assertThat(env).isNotEmpty();
        for (Map<String, Object> e : env) {
            String property = e.get("name").toString().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            assertThat(properties).as("env " + e.get("name")).containsKey(property);
        }
    }

    @Test
    void gpuOverlayRequestsOneGpuForTheSameContainer() {
        Map<String, Object> patch = OpsFiles.yaml("k8s/overlays/gpu/gpu.yaml");
        assertThat(patch.get("kind")).isEqualTo("Deployment");
        assertThat((String) at(patch, "metadata", "name")).isEqualTo(at(deployment(), "metadata", "name"));
        Map<String, Object> c = at(patch, "spec", "template", "spec", "containers", 0);
        assertThat(c.get("name")).isEqualTo(container().get("name"));
        assertThat((Object) at(c, "resources", "limits", "nvidia.com/gpu")).isEqualTo(1);
        assertThat((Object) at(c, "resources", "requests", "nvidia.com/gpu")).isEqualTo(1);
        List<Map<String, Object>> env = at(c, "env");
        assertThat(env).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("AGE_DEVICE");
            assertThat(e.get("value")).isEqualTo("gpu");
        });
    }

    @Test
    void terminationGraceCoversTheServiceDrain() {
        assertThat((String) at(APP, "server", "shutdown")).isEqualTo("graceful");
        Duration drain = springDuration(at(APP, "spring", "lifecycle", "timeout-per-shutdown-phase"));
        Map<String, Object> cm = configMapApplicationYml();
        assertThat(springDuration(at(cm, "spring", "lifecycle", "timeout-per-shutdown-phase"))).isEqualTo(drain);
        assertThat((String) at(cm, "server", "shutdown")).isEqualTo("graceful");
        List<String> preStop = at(container(), "lifecycle", "preStop", "exec", "command");
        assertThat(preStop.get(0)).isEqualTo("sleep");
        long preStopSeconds = Long.parseLong(preStop.get(1));
        int grace = at(deployment(), "spec", "template", "spec", "terminationGracePeriodSeconds");
        // preStop, then the drain, then the worker finishing its queue (bounded by the request timeout)
        Duration requestTimeout = springDuration(at(cm, "age", "batching", "request-timeout"));
        assertThat(Duration.ofSeconds(grace)).isGreaterThanOrEqualTo(
                drain.plusSeconds(preStopSeconds).plus(requestTimeout).plusSeconds(5));
        String stopGrace = at(OpsFiles.yaml("docker-compose.yml"), "services", "dldl-age", "stop_grace_period");
        assertThat(springDuration(stopGrace)).isGreaterThan(drain.plus(requestTimeout));
    }

    @Test
    void configMapSetsOnlyPropertiesTheServiceHas() {
        Map<String, Object> defaults = OpsFiles.serviceProperties();
        Map<String, Object> cm = OpsFiles.flatten(configMapApplicationYml());
        assertThat(defaults.keySet()).as("AgeProperties and the keys of src/main/resources/application.yml").containsAll(cm.keySet());
        String modelPath = "model-store/" + cm.get("age.models.default");
        assertThat(OpsFiles.ROOT.resolve(modelPath).resolve("model.json")).as("the committed model").exists();
        // the image carries that model and points at it; the ConfigMap is mounted where Spring Boot reads it
        String dockerfile = OpsFiles.read("Dockerfile");
        assertThat(dockerfile).contains("COPY " + modelPath + "/ " + modelPath + "/");
        assertThat(dockerfile).contains("AGE_MODELS_DEFAULT=" + cm.get("age.models.default"));
        assertThat(OpsFiles.read(".dockerignore")).contains("!" + modelPath + "/");
        String workdir = OpsFiles.find(dockerfile, "^WORKDIR (/app)$");
        assertThat((String) at(container(), "volumeMounts", 0, "mountPath")).isEqualTo(workdir + "/config");
    }

    @Test
    void autoscalerBudgetAndSelectorsTargetTheDeployment() {
        Map<String, Object> d = deployment();
        Map<String, Object> podLabels = at(d, "spec", "template", "metadata", "labels");
        Map<String, Object> hpa = k8s("HorizontalPodAutoscaler", "k8s/base/hpa.yaml");
        assertThat((String) at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(at(d, "metadata", "name"));
        List<Map<String, Object>> metrics = at(hpa, "spec", "metrics");
        assertThat(metrics).extracting(mm -> mm.get("type")).contains("Resource", "Pods");
        String custom = metrics.stream().filter(mm -> "Pods".equals(mm.get("type")))
                .map(mm -> (String) at(mm, "pods", "metric", "name")).findFirst().orElseThrow();
        Map<String, Object> adapter = OpsFiles.yaml("k8s/prometheus-adapter/values.yaml");
        assertThat((String) at(adapter, "rules", "custom", 0, "name", "as")).isEqualTo(custom);
        assertThat((String) at(adapter, "rules", "custom", 0, "seriesQuery")).startsWith(custom + "{");
        // the HPA needs requests to compute CPU utilisation
        assertThat((Object) at(container(), "resources", "requests", "cpu")).isNotNull();
        Map<String, Object> pdb = k8s("PodDisruptionBudget", "k8s/base/pdb.yaml");
        assertThat(podLabels).containsAllEntriesOf(at(pdb, "spec", "selector", "matchLabels"));
        assertThat((Integer) at(pdb, "spec", "minAvailable")).isLessThan((Integer) at(hpa, "spec", "minReplicas"));
        assertThat(podLabels).containsAllEntriesOf(at(k8s("Service", "k8s/base/service.yaml"), "spec", "selector"));
        assertThat(podLabels).containsAllEntriesOf(at(d, "spec", "selector", "matchLabels"));
    }

    @Test
    void containerRunsAsTheImagesNonRootUser() {
        String dockerfile = OpsFiles.read("Dockerfile");
        String user = OpsFiles.find(dockerfile, "^USER (\\d+):\\d+$");
        String group = OpsFiles.find(dockerfile, "^USER \\d+:(\\d+)$");
        assertThat(user).isNotNull().isNotEqualTo("0");
        assertThat((Integer) at(deployment(), "spec", "template", "spec", "securityContext", "runAsUser"))
                .isEqualTo(Integer.parseInt(user));
        assertThat((Integer) at(deployment(), "spec", "template", "spec", "securityContext", "runAsGroup"))
                .isEqualTo(Integer.parseInt(group));
        assertThat((Boolean) at(container(), "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((List<Map<String, Object>>) at(container(), "volumeMounts"))
                .anySatisfy(v -> assertThat(v.get("mountPath")).isEqualTo("/tmp"));
    }

    @Test
    void dockerfileBuildsWithTheReadmeCommandsAndShipsOnlyWhatItCopies() {
        List<String> instructions = OpsFiles.dockerfileInstructions();
        String runs = String.join("\n", instructions);
        String readme = OpsFiles.read("README.md");
        // the same commands a developer runs: the fetch script and the Maven wrapper build
        assertThat(runs).contains("bash scripts/fetch-mtcnn.sh model-store/mtcnn").contains("./mvnw -B package -DskipTests");
        assertThat(readme).contains("./mvnw -B package -DskipTests").contains("scripts/fetch-mtcnn.sh");
        assertThat(runs).contains("-Pcuda").contains("HEALTHCHECK").contains("ai.djl.offline=true").contains("-Doffline=true")
                .contains("-Xmx");
        // the build-time unpack of PyTorch's library is made readable by the non-root user
        assertThat(runs).contains("chmod -R a+rX /opt/dldl-age/djl");
        // every file copied from the build context passes .dockerignore (a default-deny list)
        List<String> allowed = Arrays.stream(OpsFiles.read(".dockerignore").split("\n"))
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        for (String ins : instructions) {
            if (!ins.startsWith("COPY ") || ins.contains("--from=")) {
                continue;
            }
            String[] parts = ins.replaceAll("--chmod=\\S+ ", "").split(" ");
            for (int i = 1; i < parts.length - 1; i++) {
                String src = parts[i];
                assertThat(allowed).as(".dockerignore lets " + src + " through").anyMatch(a -> src.startsWith(a)
                        || (src + "/").startsWith(a) || a.startsWith(src));
                if (src.startsWith("target/") || src.startsWith("model-store/mtcnn")) {
                    // ARTIFACTS=local: the host build's outputs, git-ignored, absent before 'package'
                    assertThat(OpsFiles.read(".gitignore")).contains(src.startsWith("target/") ? "target/" : "model-store/mtcnn/");
                    continue;
                }
                assertThat(OpsFiles.ROOT.resolve(src)).as("COPY source " + src).exists();
            }
        }
    }

    @Test
    void grafanaDashboardUsesTheProvisionedDataSourceAndCoversTheIssuePanels() {
        Map<String, Object> ds = at(OpsFiles.yaml("ops/grafana/provisioning/datasources/prometheus.yml"), "datasources", 0);
        JsonNode dashboard = OpsFiles.dashboard();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.add(panel.path("title").asText());
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(ds.get("uid"));
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
        }
        assertThat(titles).contains("Request rate by outcome", "Latency p50 / p95 / p99", "Time per stage (mean)",
                "Batch size (faces per forward pass)", "Batch fill ratio", "Queue depth", "Rejections by reason",
                "Faces per request (mean)", "Model in use");
        assertThat((String) at(ds, "url")).isEqualTo("http://prometheus:9090");
        assertThat((String) at(ds, "jsonData", "timeInterval"))
                .isEqualTo(at(OpsFiles.yaml("ops/prometheus/prometheus.yml"), "global", "scrape_interval"));
        String dashboardsPath = at(OpsFiles.yaml("ops/grafana/provisioning/dashboards/dldl-age.yml"), "providers", 0, "options", "path");
        List<String> mounts = at(OpsFiles.yaml("docker-compose.yml"), "services", "grafana", "volumes");
        assertThat(mounts).contains("./ops/grafana/dashboards:" + dashboardsPath + ":ro");
    }
}
