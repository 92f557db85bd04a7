package io.damoov.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.damoov.gateway.metrics.MetricNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Static checks of the operations artefacts under {@code k8s/}: every manifest fits the Kubernetes (fabric8) model,
 * the overlays build, the Deployment is probed, hardened and drained as documented, and the dashboard and alerts only
 * use metrics the gateway exports. Needs no cluster and no {@code kubectl}; when {@code kubectl} is on the PATH the
 * built overlays are also compared with {@code kubectl kustomize}.
 */
class K8sManifestsTest {

    private static final List<String> OVERLAYS = List.of("overlays/dev", "overlays/production");
    private static final int MANAGEMENT_PORT = 9000;
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 30;

    private final Path k8s = MonitoringQueries.k8sDir();

    @Test
    void shouldFitKubernetesModelWhenEveryYamlUnderK8sIsParsed() {
        List<String> problems = new ArrayList<>();
        Set<Path> patches = new java.util.HashSet<>();
        for (Path file : Manifests.yamlFiles(k8s)) {
            for (JsonNode doc : Manifests.readDocuments(file)) {
                if (Manifests.isKustomization(doc)) {
                    doc.path("patches").forEach(p -> patches.add(file.resolveSibling(p.path("path").asText()).normalize()));
                }
            }
        }
        assertThat(patches).isNotEmpty();
        int documents = 0;
        for (Path file : Manifests.yamlFiles(k8s)) {
            for (JsonNode doc : Manifests.readDocuments(file)) {
                documents++;
                String where = k8s.relativize(file).toString();
                if (Manifests.isKustomization(doc)) {
                    doc.fieldNames().forEachRemaining(key -> {
                        if (!Manifests.KUSTOMIZATION_KEYS.contains(key)) {
                            problems.add(where + ": unsupported kustomization key " + key);
                        }
                    });
                } else {
                    // a strategic merge patch is a partial object: its required fields come from the base
                    problems.addAll(Manifests.validate(doc, where, !patches.contains(file.normalize())));
                }
            }
        }
        assertThat(documents).isGreaterThan(15);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportProblemsWhenManifestHasUnknownKindFieldOrMissingRequiredField() throws IOException {
        JsonNode deployment = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                        - name: gateway
                          imagePullPolicy: Always
                          readinessProbe: {httpGet: {path: /q/health/ready, prot: 9000}}
                """);
        assertThat(Manifests.validate(deployment, "test"))
                .anySatisfy(p -> assertThat(p).contains("missing required field").contains("image"))
                .anySatisfy(p -> assertThat(p).contains("missing required field").contains("httpGet.port"))
                .anySatisfy(p -> assertThat(p).contains("unknown field(s) [prot]"));
        assertThat(Manifests.validate(yaml("{apiVersion: apps/v1, kind: Deploymnet, metadata: {name: x}}"), "test"))
                .anySatisfy(p -> assertThat(p).contains("unknown kind Deploymnet"));
        assertThat(
                Manifests.validate(yaml("{apiVersion: v1, kind: Service, metadata: {name: x}, spec: {ports: [{port: http}]}}"),
                        "test"))
                .anySatisfy(p -> assertThat(p).contains("does not fit the model"));
        assertThat(Manifests.validate(yaml("""
                {apiVersion: monitoring.coreos.com/v1, kind: PrometheusRule, metadata: {name: x},
                 spec: {groups: [{name: g, rules: [{alert: A, exprr: up}]}]}}"""), "test"))
                .anySatisfy(p -> assertThat(p).contains("unknown field(s) [exprr]"))
                .anySatisfy(p -> assertThat(p).contains("missing required field").contains("expr"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/production", "monitoring" })
    void shouldBuildValidResourcesWhenOverlayIsResolved(String overlay) {
        List<ObjectNode> resources = Kustomize.build(k8s.resolve(overlay));
        assertThat(resources).isNotEmpty();
        List<String> problems = new ArrayList<>();
        resources.forEach(r -> problems.addAll(Manifests.validate(r, overlay)));
        assertThat(problems).isEmpty();
        if (overlay.startsWith("overlays/")) {
            assertThat(resources).extracting(r -> r.get("kind").asText()).contains("Namespace", "ConfigMap", "Deployment",
                    "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor",
                    "PrometheusRule");
            assertThat(resources).extracting(r -> r.get("kind").asText()).doesNotContain("Secret");
            assertThat(resources).filteredOn(r -> !r.get("kind").asText().equals("Namespace"))
                    .allSatisfy(r -> assertThat(r.at("/metadata/namespace").asText()).startsWith("damoov-gateway"));
        } else {
            assertThat(resources).singleElement().satisfies(cm -> {
                assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
                assertThat(cm.at("/data/grafana-dashboard.json").asText()).contains("\"uid\": \"damoov-gateway\"");
            });
        }
    }

    @Test
    void shouldRunOneH2ReplicaWhenDevOverlayIsBuilt() {
        List<ObjectNode> dev = Kustomize.build(k8s.resolve("overlays/dev"));
        Deployment deployment = one(dev, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        // the embedded H2 store is used when no PostgreSQL URL is set
        assertThat(env(deployment, "QUARKUS_DATASOURCE_JDBC_URL")).isEmpty();
        HorizontalPodAutoscaler hpa = one(dev, HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(1);
        assertThat(volume(deployment, "data").getEmptyDir()).isNotNull();
    }

    @Test
    void shouldUsePostgresqlFromSecretWhenProductionOverlayIsBuilt() {
        List<ObjectNode> production = Kustomize.build(k8s.resolve("overlays/production"));
        Deployment deployment = one(production, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD")) {
            assertThat(env(deployment, name)).as(name)
                    .hasValueSatisfying(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isNotBlank());
        }
        assertThat(gateway(deployment).getImage()).isNotEqualTo("damoov-gateway:latest").contains(":");
        HorizontalPodAutoscaler hpa = one(production, HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(3);
        assertThat(hpa.getSpec().getMetrics()).anySatisfy(m -> {
            assertThat(m.getResource().getName()).isEqualTo("cpu");
            assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/production" })
    void shouldProbeHealthOnManagementPortWhenDeploymentIsBuilt(String overlay) {
        Deployment deployment = one(Kustomize.build(k8s.resolve(overlay)), Deployment.class);
        Container c = gateway(deployment);
        assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).contains(8080, MANAGEMENT_PORT);
        assertProbe(c, c.getLivenessProbe(), "/q/health/live");
        assertProbe(c, c.getReadinessProbe(), "/q/health/ready");
        assertThat(c.getStartupProbe()).as("startupProbe").isNotNull();
        assertThat(port(c, c.getStartupProbe().getHttpGet().getPort())).isEqualTo(MANAGEMENT_PORT);
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("memory");
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/production" })
    void shouldRunNonRootReadOnlyAndDrainWhenDeploymentIsBuilt(String overlay) {
        Deployment deployment = one(Kustomize.build(k8s.resolve(overlay)), Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container c = gateway(deployment);
        var podSec = pod.getSecurityContext();
        var sec = c.getSecurityContext();
        assertThat(Optional.ofNullable(sec.getRunAsNonRoot()).orElse(podSec.getRunAsNonRoot())).isTrue();
        assertThat(Optional.ofNullable(sec.getRunAsUser()).orElse(podSec.getRunAsUser())).isNotNull().isNotZero();
        assertThat(sec.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sec.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sec.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(Optional.ofNullable(sec.getSeccompProfile()).orElse(podSec.getSeccompProfile()).getType())
                .isEqualTo("RuntimeDefault");
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(SHUTDOWN_TIMEOUT_SECONDS);
        // with a read-only root, every path the gateway writes to must be a volume
        assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath)
                .contains("/tmp", "/deployments/data", "/deployments/config");
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = volume(deployment, m.getName());
            if (!Boolean.TRUE.equals(m.getReadOnly())) {
                assertThat(v.getEmptyDir()).as("writable volume " + m.getName()).isNotNull();
            }
        }
        assertThat(volume(deployment, "config").getConfigMap().getName()).isEqualTo("damoov-gateway-config");
        assertThat(c.getEnvFrom()).anySatisfy(e -> assertThat(e.getSecretRef().getName()).isEqualTo("damoov-gateway-secrets"));
        assertThat(env(deployment, "JAVA_OPTS_APPEND")).map(EnvVar::getValue).hasValueSatisfying(
                v -> assertThat(v).contains("-XX:MaxRAMPercentage").doesNotContain("GC "));
        assertThat(pod.getTopologySpreadConstraints()).extracting(t -> t.getTopologyKey())
                .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    }

    @ParameterizedTest
    @ValueSource(strings = { "src/main/docker/Dockerfile.jvm", "src/main/docker/Dockerfile.jvm-aot" })
    void shouldShipTheSameJvmOptionsInImageAndDeploymentAndTheJvmAcceptsThem(String dockerfile) throws Exception {
        Deployment deployment = one(Kustomize.build(k8s.resolve("overlays/production")), Deployment.class);
        String append = env(deployment, "JAVA_OPTS_APPEND").orElseThrow().getValue();
        String gc = env(deployment, "GC_CONTAINER_OPTIONS").orElseThrow().getValue();
        String image = Files.readString(Path.of(dockerfile));

        // the image sets them too (and the public host, which the Deployment gets from the run script's defaults)
        assertThat(image).contains("ENV GC_CONTAINER_OPTIONS=\"" + gc + "\"")
                .contains("ENV JAVA_OPTS_APPEND=\"-Dquarkus.http.host=0.0.0.0 " + append + "\"");

        // a flag this JVM does not know would stop every pod at start: this JDK 17 must take them all
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(gc.split(" ")));
        cmd.addAll(List.of(append.split(" ")));
        cmd.add("-version");
        Process java = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
    }

    @Test
    void shouldScrapeAndAdmitManagementPortWhenServiceMonitorAndNetworkPolicyAreBuilt() {
        List<ObjectNode> production = Kustomize.build(k8s.resolve("overlays/production"));
        Service service = one(production, Service.class);
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("management");
            assertThat(p.getPort()).isEqualTo(MANAGEMENT_PORT);
        }).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
        });
        ServiceMonitor monitor = one(production, ServiceMonitor.class);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPort()).isEqualTo("management");
            assertThat(e.getPath()).isEqualTo("/q/metrics");
        });
        NetworkPolicy policy = one(production, NetworkPolicy.class);
        Map<Integer, String> fromNamespace = policy.getSpec().getIngress().stream().collect(Collectors.toMap(
                rule -> rule.getPorts().get(0).getPort().getIntVal(),
                rule -> rule.getFrom().get(0).getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")));
        assertThat(fromNamespace).containsEntry(8080, "ingress-nginx").containsEntry(MANAGEMENT_PORT, "monitoring");
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/production" })
    void shouldTrustOnlyTheIngressAsProxyWhenConfigMapIsRead(String overlay) throws IOException {
        ConfigMap cm = one(Kustomize.build(k8s.resolve(overlay)), ConfigMap.class);
        JsonNode app = new YAMLMapper().readTree(cm.getData().get("application.yaml"));
        // Quarkus trusts every peer when the list is empty; the audit's clientIp comes from X-Forwarded-For only
        // when the peer is the ingress (docs/operations.md, "Client address")
        String trusted = app.at("/quarkus/http/proxy/trusted-proxies").asText();
        assertThat(trusted).isNotBlank().doesNotContain("0.0.0.0/0").doesNotContain("::/0");
        assertThat(trusted.split(",")).allSatisfy(
                part -> assertThat(part.trim()).matches("[0-9a-fA-F:.]+(/[0-9]{1,3})?"));
        assertThat(app.at("/quarkus/http/proxy/proxy-address-forwarding").asBoolean(true)).isTrue();
    }

    @Test
    void shouldKeepSecretsOutOfConfigMapWhenApplicationYamlIsRead() throws IOException {
        ConfigMap cm = one(Kustomize.build(k8s.resolve("overlays/production")), ConfigMap.class);
        JsonNode app = new YAMLMapper().readTree(cm.getData().get("application.yaml"));
        JsonNode tenants = app.at("/gateway/tenants");
        assertThat(tenants.size()).isPositive();
        tenants.forEach(t -> {
            for (String secret : List.of("instance-id", "instance-key", "admin-login", "admin-password")) {
                assertThat(t.path(secret).asText()).as(secret).matches("\\$\\{[A-Z0-9_]+}");
            }
        });
        assertThat(app.at("/gateway/token-encryption-key").isMissingNode()).isTrue();
        assertThat(app.at("/quarkus/management/port").asInt()).isEqualTo(MANAGEMENT_PORT);
    }

    @Test
    void shouldBeValidGrafanaDashboardWhenJsonIsParsed() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(k8s.resolve("monitoring/grafana-dashboard.json").toFile());
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        Map<String, JsonNode> variables = new java.util.HashMap<>();
        dashboard.at("/templating/list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsKeys("DS_PROMETHEUS", "tenant");
        assertThat(variables.get("DS_PROMETHEUS").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("DS_PROMETHEUS").path("query").asText()).isEqualTo("prometheus");
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        List<JsonNode> queryPanels = panels.stream().filter(p -> p.has("targets")).toList();
        assertThat(queryPanels).hasSizeGreaterThanOrEqualTo(12);
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode p : panels) {
            assertThat(ids.add(p.path("id").asInt())).as("unique panel id " + p.path("id")).isTrue();
            assertThat(p.path("gridPos").path("w").asInt()).isBetween(1, 24);
        }
        for (JsonNode p : queryPanels) {
            assertThat(p.at("/datasource/uid").asText()).as(p.path("title").asText()).isEqualTo("${DS_PROMETHEUS}");
            p.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
        }
        String all = String.join("\n", MonitoringQueries.dashboardExpressions());
        assertThat(all).contains("$tenant", "histogram_quantile(0.99");
        assertThat(MonitoringQueries.referencedMetrics()).containsAll(MonitoringQueries.KNOWN_METRICS);
    }

    @Test
    void shouldReferenceOnlyExportedMetricsWhenDashboardAndAlertsAreScanned() {
        assertThat(MonitoringQueries.seriesIn("sum(rate(gateway_requests_seconds_bucket{route=\"gateway_x\"}[5m]))"))
                .containsExactly("gateway_requests_seconds_bucket");
        Set<String> referenced = MonitoringQueries.referencedMetrics();
        assertThat(referenced).isNotEmpty();
        assertThat(referenced).isSubsetOf(MonitoringQueries.KNOWN_METRICS);
        assertThat(MonitoringQueries.referencedSeries())
                .allSatisfy(s -> assertThat(MonitoringQueries.KNOWN_METRICS).contains(MonitoringQueries.metricName(s)));
        // histogram series exist only for the two timers
        assertThat(MonitoringQueries.referencedSeries()).filteredOn(s -> s.endsWith("_bucket"))
                .allSatisfy(s -> assertThat(s).endsWith("_seconds_bucket"));
    }

    @Test
    void shouldAlertOnEachDocumentedConditionWhenPrometheusRuleIsRead() {
        PrometheusRule rule = one(Kustomize.build(k8s.resolve("overlays/production")), PrometheusRule.class);
        List<Rule> alerts = rule.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream()).toList();
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.getAlert()).matches("[A-Z][A-Za-z0-9]+");
            assertThat(a.getLabels()).containsKey("severity");
            assertThat(a.getAnnotations()).containsKeys("summary", "description");
            if (a.getFor() != null) {
                assertThat(promDuration(a.getFor())).isPositive();
            }
        });
        assertThat(expr(alerts, "gateway_login_budget_remaining")).contains("< 2");
        Rule refresh = alert(alerts, "gateway_token_refreshes_total");
        assertThat(refresh.getExpr().getStrVal()).contains("outcome=\"failure\"").contains("> 0");
        assertThat(promDuration(refresh.getFor())).isEqualTo(Duration.ofMinutes(10));
        Rule upstream5xx = alert(alerts, "gateway_upstream_requests_seconds_count");
        assertThat(upstream5xx.getExpr().getStrVal()).contains("status=~\"5").contains("> 0.05");
        assertThat(promDuration(upstream5xx.getFor())).isEqualTo(Duration.ofMinutes(5));
        assertThat(expr(alerts, "gateway_audit_queue_capacity")).contains("gateway_audit_queue_depth").contains("> 0.8");
        assertThat(expr(alerts, "gateway_audit_records_dropped_total")).contains("> 0");
        assertThat(expr(alerts, "gateway_audit_dead_letters_total")).contains("> 0");
        assertThat(expr(alerts, "gateway_audit_journal_oldest_seconds")).contains("> 300");
        Rule latency = alert(alerts, "gateway_requests_seconds_bucket");
        assertThat(latency.getExpr().getStrVal()).contains("histogram_quantile(0.99").contains("> 1");
        assertThat(promDuration(latency.getFor())).isEqualTo(Duration.ofMinutes(10));
        assertThat(expr(alerts, "gateway_upstream_available")).contains("== 0");
        Rule circuit = alert(alerts, "gateway_upstream_circuit_open");
        assertThat(circuit.getExpr().getStrVal()).contains("max by (upstream)").contains("> 0");
        assertThat(promDuration(circuit.getFor())).isEqualTo(Duration.ofMinutes(2));
        assertThat(circuit.getLabels()).containsEntry("severity", "warning");
    }

    @Test
    void shouldDocumentEveryAlertWhenPrometheusRuleIsRead() throws IOException {
        PrometheusRule rule = one(Kustomize.build(k8s.resolve("overlays/production")), PrometheusRule.class);
        List<String> names = rule.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream())
                .map(Rule::getAlert).toList();
        assertThat(names).contains("DamoovGatewayUpstreamCircuitOpen");
        // the expression summary (docs/metrics.md) and the runbook (docs/operations.md) each have a row per alert
        for (String doc : List.of("docs/metrics.md", "docs/operations.md")) {
            String text = Files.readString(k8s.resolveSibling(doc));
            String alertsSection = text.substring(text.indexOf("## Alerts"));
            List<String> rows = alertsSection.lines().filter(l -> l.startsWith("| `DamoovGateway")).toList();
            assertThat(rows).as(doc).hasSameSizeAs(names);
            for (String name : names) {
                assertThat(rows).as(doc + " row of " + name).anyMatch(r -> r.startsWith("| `" + name + "`"));
            }
        }
    }

    @Test
    void shouldNameEveryMetricConstantWhenKnownMetricsAreListed() throws IllegalAccessException {
        Set<String> constants = new TreeSet<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().startsWith("TAG_")) {
                constants.add(((String) f.get(null)).replace('.', '_'));
            }
        }
        for (String metric : MonitoringQueries.KNOWN_METRICS) {
            if (metric.startsWith("gateway_")) {
                assertThat(constants).as(metric).anyMatch(c -> metric.equals(c) || metric.startsWith(c + "_"));
            }
        }
        for (String c : constants) {
            assertThat(MonitoringQueries.KNOWN_METRICS).as(c).anyMatch(m -> m.equals(c) || m.startsWith(c + "_"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/production", "monitoring" })
    void shouldEqualKubectlKustomizeWhenKubectlIsInstalled(String overlay) throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl not on PATH: the built-in resolver is checked without it");
        Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", k8s.resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Path tmp = Files.createTempFile("kustomize", ".yaml");
        try {
            Files.writeString(tmp, output);
            List<JsonNode> expected = Manifests.readDocuments(tmp).stream().map(K8sManifestsTest::normalise).sorted(BY_ID)
                    .toList();
            List<JsonNode> actual = Kustomize.build(k8s.resolve(overlay)).stream().map(K8sManifestsTest::normalise)
                    .sorted(BY_ID).toList();
            assertThat(actual).isEqualTo(expected);
        } finally {
            Files.delete(tmp);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static final Comparator<JsonNode> BY_ID = Comparator
            .comparing((JsonNode r) -> r.path("kind").asText())
            .thenComparing(r -> r.at("/metadata/name").asText());

    /** Deep copy with lists of named objects sorted by name (kustomize orders merged list items its own way). */
    private static JsonNode normalise(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = node.deepCopy();
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                copy.set(f, normalise(copy.get(f)));
            }
            return copy;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(i -> items.add(normalise(i)));
            if (items.stream().allMatch(i -> i.isObject() && i.has("name"))) {
                items.sort(Comparator.comparing(i -> i.get("name").asText()));
            }
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            items.forEach(copy::add);
            return copy;
        }
        return node;
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static JsonNode yaml(String text) throws IOException {
        return new YAMLMapper().readTree(text);
    }

    private static <T> T one(List<ObjectNode> resources, Class<T> type) {
        List<T> found = resources.stream().map(Manifests::toModel).filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static Container gateway(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Optional<EnvVar> env(Deployment deployment, String name) {
        List<EnvVar> matches = gateway(deployment).getEnv().stream().filter(e -> e.getName().equals(name)).toList();
        assertThat(matches).as("env " + name).hasSizeLessThanOrEqualTo(1);
        return matches.stream().findFirst();
    }

    private static Volume volume(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static void assertProbe(Container c, Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(port(c, probe.getHttpGet().getPort())).as(path).isEqualTo(MANAGEMENT_PORT);
    }

    /** A probe's port as a number, resolving a port name through the container's ports. */
    private static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    private static Rule alert(List<Rule> alerts, String metric) {
        List<Rule> matches = alerts.stream()
                .filter(a -> MonitoringQueries.seriesIn(a.getExpr().getStrVal()).contains(metric)).toList();
        assertThat(matches).as("alert on " + metric).isNotEmpty();
        return matches.get(0);
    }

    private static String expr(List<Rule> alerts, String metric) {
        return alert(alerts, metric).getExpr().getStrVal();
    }

    private static Duration promDuration(String d) {
        assertThat(d).matches("\\d+[smh]");
        long n = Long.parseLong(d.substring(0, d.length() - 1));
        return switch (d.charAt(d.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    @Test
    void shouldFailResolutionWhenKustomizationUsesUnsupportedKey() throws IOException {
        Path dir = Files.createTempDirectory("kustomize");
        try {
            Files.writeString(dir.resolve("kustomization.yaml"),
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nreplicas: [{name: x, count: 2}]\n");
            assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("unsupported key replicas");
        } finally {
            Files.delete(dir.resolve("kustomization.yaml"));
            Files.delete(dir);
        }
    }
}
