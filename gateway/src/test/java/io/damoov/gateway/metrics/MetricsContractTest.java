package io.damoov.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.ops.MonitoringQueries;
import io.damoov.gateway.sandbox.RecordedRequest;
import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The metric names of docs/metrics.md are public API: after traffic through every credential kind, a denial, a refresh and
 * a login, {@code /q/metrics} on the management port shows every meter of {@link MetricNames}, every series the
 * shipped dashboard and alerts query, and no label value that identifies a user or carries a token.
 */
@QuarkusTest
class MetricsContractTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";
    private static final Pattern SAMPLE = Pattern
            .compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Prometheus name of each meter of {@link MetricNames}, by constant; a new constant must be added here. */
    private static final Map<String, String> PROMETHEUS_NAMES = new LinkedHashMap<>();
    static {
        PROMETHEUS_NAMES.put("REQUESTS", "gateway_requests_seconds_count");
        PROMETHEUS_NAMES.put("UPSTREAM_REQUESTS", "gateway_upstream_requests_seconds_count");
        PROMETHEUS_NAMES.put("UPSTREAM_AVAILABLE", "gateway_upstream_available");
        PROMETHEUS_NAMES.put("UPSTREAM_FAILURES", "gateway_upstream_failures_total");
        PROMETHEUS_NAMES.put("UPSTREAM_CIRCUIT_OPEN", "gateway_upstream_circuit_open");
        PROMETHEUS_NAMES.put("TOKEN_REFRESHES", "gateway_token_refreshes_total");
        PROMETHEUS_NAMES.put("TOKEN_LOGINS", "gateway_token_logins_total");
        PROMETHEUS_NAMES.put("LOGIN_BUDGET_REMAINING", "gateway_login_budget_remaining");
        PROMETHEUS_NAMES.put("ENROLLMENTS", "gateway_enrollments_total");
        PROMETHEUS_NAMES.put("DENIED", "gateway_denied_requests_total");
        PROMETHEUS_NAMES.put("AUDIT_WRITTEN", "gateway_audit_records_written_total");
        PROMETHEUS_NAMES.put("AUDIT_DROPPED", "gateway_audit_records_dropped_total");
        PROMETHEUS_NAMES.put("AUDIT_SPILLED", "gateway_audit_records_spilled_total");
        PROMETHEUS_NAMES.put("AUDIT_QUEUE_DEPTH", "gateway_audit_queue_depth");
        PROMETHEUS_NAMES.put("AUDIT_QUEUE_CAPACITY", "gateway_audit_queue_capacity");
        PROMETHEUS_NAMES.put("AUDIT_DEAD_LETTERS", "gateway_audit_dead_letters_total");
        PROMETHEUS_NAMES.put("AUDIT_JOURNAL_BYTES", "gateway_audit_journal_bytes");
        PROMETHEUS_NAMES.put("AUDIT_JOURNAL_MAX_BYTES", "gateway_audit_journal_max_bytes");
        PROMETHEUS_NAMES.put("AUDIT_JOURNAL_OLDEST", "gateway_audit_journal_oldest_seconds");
        PROMETHEUS_NAMES.put("AUDIT_JOURNAL_TORN", "gateway_audit_journal_torn_lines");
        PROMETHEUS_NAMES.put("CACHE_HIT_RATIO", "gateway_cache_hit_ratio");
        PROMETHEUS_NAMES.put("CACHE_GETS", "gateway_cache_gets_total");
        PROMETHEUS_NAMES.put("STORE_QUERIES", "gateway_store_queries_total");
    }

    /** {@code /q/metrics} on the management port: with {@code management = true} the value is relative to {@code /q}. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void shouldExportEveryContractedSeriesWithBoundedLabelsWhenTrafficFlowsThroughEveryCredentialKind() {
        // Given: traffic through every credential kind, a denial, a refresh and a login
        Set<String> secrets = new HashSet<>();
        String subject = newSubject();
        String managerSubject = newSubject();
        String user = userToken("acme", subject);
        String manager = managerToken("acme", managerSubject);
        String deviceToken = enroll(user);
        String managerDeviceToken = enroll(manager);
        secrets.addAll(List.of(subject, managerSubject, user, manager, deviceToken, managerDeviceToken));

        as(user).get(STATS).then().statusCode(200);
        as(manager).get("/api/indicators/admin/v3/Statistics?UserId=" + deviceToken).then().statusCode(200);
        as(user).get("/leaderboard/v1/Leaderboard").then().statusCode(200);
        as(user).get("/user/v1/Auth/Login").then().statusCode(403);
        as(user).get("/api/indicators/admin/v3/Statistics?UserId=" + deviceToken).then().statusCode(403);
        sandbox.expireAllTokens();
        as(user).get(STATS).then().statusCode(200); // refresh
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        as(user).get(STATS).then().statusCode(200); // refresh refused, login
        RestAssured.given().header("Authorization", "Bearer not-a-jwt").get(STATS).then().statusCode(401);
        auditLog.flush();
        collectDamoovTokens(secrets);

        // When
        String exposition = RestAssured.given().get(metrics).then().statusCode(200).extract().asString();
        List<Sample> samples = parse(exposition);
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name));

        // Then: every meter of MetricNames (docs/metrics.md) ...
        assertThat(PROMETHEUS_NAMES.keySet()).as("every MetricNames meter has its Prometheus name here")
                .containsExactlyInAnyOrderElementsOf(meterConstants());
        assertThat(names).containsAll(PROMETHEUS_NAMES.values());
        // ... every series of the dashboard and the alerts ...
        assertThat(names).containsAll(MonitoringQueries.referencedSeries());
        // ... the token meters for every tenant, principal and outcome, counted or not ...
        for (String tenant : List.of("acme", "globex", "rotating", "closed")) {
            for (String principal : MetricNames.PRINCIPALS) {
                for (String outcome : MetricNames.LOGIN_OUTCOMES) {
                    assertThat(find(samples, "gateway_token_logins_total", tenant, principal, outcome))
                            .as("logins %s/%s/%s", tenant, principal, outcome).isNotNull();
                }
                for (String outcome : MetricNames.REFRESH_OUTCOMES) {
                    assertThat(find(samples, "gateway_token_refreshes_total", tenant, principal, outcome))
                            .as("refreshes %s/%s/%s", tenant, principal, outcome).isNotNull();
                }
            }
        }
        assertThat(find(samples, "gateway_token_refreshes_total", "acme", "user", "success").value).isPositive();
        assertThat(find(samples, "gateway_token_logins_total", "acme", "user", "success").value).isPositive();
        assertThat(find(samples, "gateway_token_logins_total", "globex", "admin", "throttled").value).isZero();
        // ... the availability of every configured upstream ...
        for (String upstream : sandbox.upstreams().keySet()) {
            assertThat(samples).anySatisfy(s -> {
                assertThat(s.name).isEqualTo("gateway_upstream_available");
                assertThat(s.labels).containsEntry("upstream", upstream);
            });
        }
        // ... and no label value that names a user or carries a token
        assertThat(secrets).hasSizeGreaterThan(8);
        for (Sample s : samples) {
            for (Map.Entry<String, String> label : s.labels.entrySet()) {
                for (String secret : secrets) {
                    assertThat(label.getValue()).as("%s{%s}", s.name, label.getKey()).doesNotContain(secret);
                }
            }
        }
    }

    private void collectDamoovTokens(Set<String> secrets) {
        for (RecordedRequest r : sandbox.requests("data")) {
            String auth = r.headers().get("Authorization");
            if (auth != null && auth.startsWith("Bearer ")) {
                secrets.add(auth.substring("Bearer ".length()));
            }
        }
        for (RecordedRequest r : sandbox.requests("refresh")) {
            secrets.add(new io.vertx.core.json.JsonObject(r.body()).getString("RefreshToken"));
        }
    }

    private static List<String> meterConstants() {
        List<String> constants = new ArrayList<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().startsWith("TAG_")) {
                constants.add(f.getName());
            }
        }
        return constants;
    }

    private static Sample find(List<Sample> samples, String name, String tenant, String principal, String outcome) {
        return samples.stream().filter(s -> s.name.equals(name) && tenant.equals(s.labels.get("tenant"))
                && principal.equals(s.labels.get("principal")) && outcome.equals(s.labels.get("outcome")))
                .findFirst().orElse(null);
    }

    private static List<Sample> parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("exposition line %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    private record Sample(String name, Map<String, String> labels, double value) {
    }
}
