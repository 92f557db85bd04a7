package io.damoov.gateway.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The PromQL of the shipped monitoring artefacts: the Grafana dashboard ({@code k8s/monitoring/grafana-dashboard.json})
 * and the alert rules ({@code k8s/base/prometheusrule.yaml}), and the metric names they may use.
 * <p>
 * A test that scrapes a running gateway can assert that every series of {@link #referencedSeries()} shows up in
 * {@code /q/metrics} (counters with tags appear only after their first increment).
 */
public final class MonitoringQueries {

    /**
     * Metric names the gateway exports (docs/metrics.md), as Prometheus shows them, without the histogram suffixes
     * {@code _bucket}, {@code _count} and {@code _sum}.
     */
    public static final Set<String> KNOWN_METRICS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "gateway_requests_seconds",
            "gateway_upstream_requests_seconds",
            "gateway_upstream_available",
            "gateway_upstream_failures_total",
            "gateway_upstream_circuit_open",
            "gateway_token_refreshes_total",
            "gateway_token_logins_total",
            "gateway_login_budget_remaining",
            "gateway_enrollments_total",
            "gateway_denied_requests_total",
            "gateway_audit_records_written_total",
            "gateway_audit_records_dropped_total",
            "gateway_audit_records_spilled_total",
            "gateway_audit_queue_depth",
            "gateway_audit_queue_capacity",
            "gateway_audit_dead_letters_total",
            "gateway_audit_journal_bytes",
            "gateway_audit_journal_max_bytes",
            "gateway_audit_journal_oldest_seconds",
            "gateway_audit_journal_torn_lines",
            "gateway_cache_hit_ratio",
            "gateway_cache_gets_total",
            "gateway_store_queries_total",
            "jvm_memory_used_bytes",
            "process_cpu_usage")));

    private static final Pattern SERIES = Pattern.compile("(?<![A-Za-z0-9_:])(?:gateway|jvm|process)_[A-Za-z0-9_]+");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern HISTOGRAM_SUFFIX = Pattern.compile("_(?:bucket|count|sum)$");

    private MonitoringQueries() {
    }

    /** Series names exactly as the dashboard and alert expressions write them, e.g. {@code gateway_requests_seconds_bucket}. */
    public static SortedSet<String> referencedSeries() {
        SortedSet<String> series = new TreeSet<>();
        for (String expr : allExpressions()) {
            series.addAll(seriesIn(expr));
        }
        return series;
    }

    /** {@link #referencedSeries()} with {@code _bucket/_count/_sum} stripped: comparable with {@link #KNOWN_METRICS}. */
    public static SortedSet<String> referencedMetrics() {
        SortedSet<String> metrics = new TreeSet<>();
        for (String series : referencedSeries()) {
            metrics.add(metricName(series));
        }
        return metrics;
    }

    /** The metric a series belongs to: {@code gateway_requests_seconds_bucket} → {@code gateway_requests_seconds}. */
    public static String metricName(String series) {
        return HISTOGRAM_SUFFIX.matcher(series).replaceFirst("");
    }

    /** {@code gateway_*}, {@code jvm_*} and {@code process_*} names in a PromQL expression, ignoring string literals. */
    public static Set<String> seriesIn(String promql) {
        String code = STRING_LITERAL.matcher(promql).replaceAll("\"\"");
        Set<String> found = new TreeSet<>();
        Matcher m = SERIES.matcher(code);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** Every expression of the dashboard and of the alert rules. */
    public static List<String> allExpressions() {
        List<String> all = new ArrayList<>(dashboardExpressions());
        all.addAll(alertExpressions());
        return all;
    }

    /** Panel target expressions (including nested rows) and query variable definitions of the Grafana dashboard. */
    public static List<String> dashboardExpressions() {
        JsonNode dashboard = readJson(k8sDir().resolve("monitoring/grafana-dashboard.json"));
        List<String> exprs = new ArrayList<>();
        collectPanelExpressions(dashboard.path("panels"), exprs);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                exprs.add(query.isObject() ? query.path("query").asText() : query.asText());
                if (variable.hasNonNull("definition")) {
                    exprs.add(variable.get("definition").asText());
                }
            }
        }
        return exprs;
    }

    /** {@code expr} of every rule in every PrometheusRule under {@code k8s/}. */
    public static List<String> alertExpressions() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode doc : Manifests.readAllDocuments(k8sDir())) {
            if ("PrometheusRule".equals(doc.path("kind").asText())) {
                for (JsonNode group : doc.path("spec").path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        exprs.add(rule.path("expr").asText());
                    }
                }
            }
        }
        return exprs;
    }

    /** The {@code k8s/} directory of the project (the working directory of the test, or one of its parents). */
    public static Path k8sDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("k8s/base"))) {
                return dir.resolve("k8s");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no k8s/base above " + Path.of("").toAbsolutePath());
    }

    private static void collectPanelExpressions(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    exprs.add(target.get("expr").asText());
                }
            }
            collectPanelExpressions(panel.path("panels"), exprs);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
