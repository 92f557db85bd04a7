package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * The audit journal through the packaged jar: a record is journalled before its response is sent, so SIGKILL loses
 * none; a hostile record cannot hold up the others.
 */
class AuditJournalIT {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";
    private static final int N = 2_000;
    private static final String OPERATOR_KEY = "it-operator-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldHaveAUseRecordOfEveryAnsweredRequestWhenTheProcessIsKilledAndRestarted() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            String token = env.clientToken("alice-" + UUID.randomUUID());
            List<String> requestIds = Collections.synchronizedList(new ArrayList<>());
            try (GatewayProcess gw = GatewayProcess.start(config(env), env.workDir)) {
                assertThat(env.get(gw, "/me", token, null).statusCode()).isEqualTo(200);
                // on PostgreSQL the audit table is locked meanwhile, so no record reaches the store before the kill
                try (Connection lock = ItEnvironment.postgres() ? env.jdbc() : null) {
                    if (lock != null) {
                        lock.setAutoCommit(false);
                        try (Statement st = lock.createStatement()) {
                            st.execute("LOCK TABLE audit_record IN ACCESS EXCLUSIVE MODE");
                        }
                    }
                    // Given: N answered requests, 8 at a time
                    ExecutorService pool = Executors.newFixedThreadPool(8);
                    List<Future<Integer>> answers = new ArrayList<>();
                    for (int i = 0; i < N; i++) {
                        String id = "kill-" + UUID.randomUUID();
                        requestIds.add(id);
                        answers.add(pool.submit(() -> env.get(gw, STATS, token, id).statusCode()));
                    }
                    for (Future<Integer> a : answers) {
                        assertThat(a.get()).isEqualTo(200);
                    }
                    pool.shutdown();

                    // When: SIGKILL right after the last answer
                    gw.kill();
                    if (lock != null) {
                        lock.rollback();
                    }
                }
            }

            // Then: after a restart on the same ./data, every request has its record
            try (GatewayProcess gw = GatewayProcess.start(config(env), env.workDir)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(useRecords(gw, env.tenant)).containsAll(requestIds));
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(metric(gw, "gateway_audit_queue_depth")).isZero());
            }
        }
    }

    @Test
    void shouldReplayAJournalWhoseLastLineIsTornAtStartAndCountTheTornLine() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            // Given: a journal segment an earlier run left, its last line torn by a kill during the append
            List<String> requestIds = new ArrayList<>();
            StringBuilder segment = new StringBuilder();
            java.time.Clock clock = java.time.Clock.systemUTC();
            for (int i = 0; i < 50; i++) {
                String id = "torn-run-" + UUID.randomUUID();
                requestIds.add(id);
                segment.append(new String(io.damoov.gateway.audit.AuditRecord.of("use").tenant(env.tenant)
                        .subject("earlier-run").route("api:/indicators/v*/**").method("GET").path("/p").status(200)
                        .upstreamStatus(200).requestId(id).build(clock).line(), StandardCharsets.UTF_8));
            }
            segment.append("{\"id\":\"0190-torn\",\"at\":17");
            java.nio.file.Path journal = env.workDir.resolve("data/audit-journal");
            java.nio.file.Files.createDirectories(journal);
            java.nio.file.Files.writeString(journal.resolve("segment-0000000000000000001.ndjson"), segment);

            // When: the gateway starts on that ./data
            try (GatewayProcess gw = GatewayProcess.start(config(env), env.workDir)) {
                // Then: every whole line reaches the store, the torn one is counted, and the journal empties
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> assertThat(useRecords(gw, env.tenant)).containsAll(requestIds));
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(metric(gw, "gateway_audit_queue_depth")).isZero());
                assertThat(metric(gw, "gateway_audit_journal_torn_lines")).isEqualTo(1.0);
            }
        }
    }

    @Test
    void shouldStoreEveryNormalRecordWhenHostileRequestsWithOversizedFieldsArriveAmongThem() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            String token = env.clientToken("bob-" + UUID.randomUUID());
            String longSub = env.clientToken("s".repeat(1_000));
            try (GatewayProcess gw = GatewayProcess.start(config(env), env.workDir)) {
                assertThat(env.get(gw, "/me", token, null).statusCode()).isEqualTo(200);
                List<String> normal = new ArrayList<>();
                String method = "hostile-method-" + UUID.randomUUID();
                String tenant = "hostile-tenant-" + UUID.randomUUID();
                String sub = "hostile-sub-" + UUID.randomUUID();
                for (int i = 0; i < 100; i++) {
                    String id = "normal-" + UUID.randomUUID();
                    normal.add(id);
                    assertThat(env.get(gw, STATS, token, id).statusCode()).isEqualTo(200);
                    if (i == 30) { // a 15-character method, unauthenticated
                        assertThat(send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + STATS))
                                .method("VERSION-CONTROL", HttpRequest.BodyPublishers.noBody())
                                .header("X-Request-Id", method)).statusCode()).isEqualTo(401);
                    }
                    if (i == 50) { // an operator call without a key naming a 3,000-character tenant
                        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.managementPort
                                + "/admin/v1/tenants/" + "t".repeat(3_000) + "/users"))
                                .header("X-Request-Id", tenant)).statusCode()).isEqualTo(401);
                    }
                    if (i == 70) { // a client token whose sub has 1,000 characters
                        assertThat(env.get(gw, STATS, longSub, sub).statusCode()).isEqualTo(401);
                    }
                }

                // Then: all normal records and the hostile ones, cut to their columns; nothing dead-lettered
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                        .untilAsserted(() -> assertThat(useRecords(gw, env.tenant)).containsAll(normal));
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Map<String, JsonObject> denials = denials(gw);
                    assertThat(denials.get(method).getString("method")).isEqualTo("VERSION-C\u2026");
                    assertThat(denials.get(tenant).getString("tenant")).hasSize(64).endsWith("\u2026");
                    assertThat(denials.get(sub).getString("reason")).isEqualTo("subject-too-long");
                    assertThat(metric(gw, "gateway_audit_queue_depth")).isZero();
                });
                assertThat(metric(gw, "gateway_audit_dead_letters_total")).isZero();
                assertThat(metric(gw, "gateway_audit_records_dropped_total")).isZero();
            }
        }
    }

    @Test
    void shouldStoreEveryRecordMadeDuringAStoreOutageOnceTheStoreIsBackAndKeepThemAcrossASigterm() throws Exception {
        Assumptions.assumeTrue(ItEnvironment.postgres(), "a store outage needs the PostgreSQL server of CI");
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.*)")
                .matcher(System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
        assertThat(url.matches()).isTrue();
        try (ItEnvironment env = new ItEnvironment();
                TcpCut link = new TcpCut(url.group(1), Integer.parseInt(url.group(2)))) {
            Map<String, String> config = config(env);
            config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + link.port() + "/" + url.group(3));
            String token = env.clientToken("carol-" + UUID.randomUUID());
            List<String> duringOutage = new ArrayList<>();
            List<String> beforeSigterm = new ArrayList<>();
            try (GatewayProcess gw = GatewayProcess.start(config, env.workDir)) {
                assertThat(env.get(gw, STATS, token, null).statusCode()).isEqualTo(200); // mapping and token cached

                // Given: the store unreachable for 20 s under load; the cached caller is still served
                link.cut();
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < until) {
                    String id = "outage-" + UUID.randomUUID();
                    duringOutage.add(id);
                    assertThat(env.get(gw, STATS, token, id).statusCode()).isEqualTo(200);
                    Thread.sleep(20);
                }
                assertThat(metric(gw, "gateway_audit_queue_depth")).isGreaterThan(0);
                // a caller the gateway has not cached needs the store: 503 store-unavailable, not 500
                String newcomer = env.clientToken("dave-" + UUID.randomUUID());
                HttpResponse<String> refused = env.get(gw, "/me", newcomer, null);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(new JsonObject(refused.body()).getString("type"))
                        .isEqualTo("urn:damoov-gateway:problem:store-unavailable");

                // When: the store is back, with no restart
                link.restore();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> env.get(gw, "/me", newcomer, null).statusCode() == 200);

                // Then: every record made during the outage reaches the store
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(useRecords(gw, env.tenant)).containsAll(duringOutage));

                // and a SIGTERM during a second outage keeps the unsent records for the next start
                link.cut();
                for (int i = 0; i < 50; i++) {
                    String id = "sigterm-" + UUID.randomUUID();
                    beforeSigterm.add(id);
                    assertThat(env.get(gw, STATS, token, id).statusCode()).isEqualTo(200);
                }
                gw.terminate();
            }
            link.restore();
            try (GatewayProcess gw = GatewayProcess.start(config, env.workDir)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(useRecords(gw, env.tenant)).containsAll(beforeSigterm));
                assertThat(metric(gw, "gateway_audit_dead_letters_total")).isZero();
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> config(ItEnvironment env) {
        Map<String, String> c = env.config(ItEnvironment.KEY_A);
        c.put("gateway.admin.key-hashes", io.damoov.gateway.admin.OperatorKeys.sha256Hex(OPERATOR_KEY));
        return c;
    }

    /** The request ids of the tenant's {@code use} records, through the operator audit API (every page). */
    private static Set<String> useRecords(GatewayProcess gw, String tenant) throws Exception {
        Set<String> ids = new HashSet<>();
        for (JsonObject r : audit(gw, "tenant=" + tenant + "&action=use")) {
            ids.add(r.getString("requestId"));
        }
        return ids;
    }

    /** Every deny record, by request id. */
    private static Map<String, JsonObject> denials(GatewayProcess gw) throws Exception {
        Map<String, JsonObject> byId = new HashMap<>();
        for (JsonObject r : audit(gw, "action=deny")) {
            byId.put(r.getString("requestId"), r);
        }
        return byId;
    }

    private static List<JsonObject> audit(GatewayProcess gw, String query) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        String after = null;
        do {
            String url = "http://127.0.0.1:" + gw.managementPort + "/admin/v1/audit?limit=1000&" + query
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + OPERATOR_KEY));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonObject page = new JsonObject(r.body());
            page.getJsonArray("items").forEach(o -> out.add((JsonObject) o));
            after = page.getString("next");
        } while (after != null);
        return out;
    }

    static double metric(GatewayProcess gw, String name) throws Exception {
        String text = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.managementPort + "/q/metrics")))
                .body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        assertThat(found).as("metric %s is exported", name).isTrue();
        return sum;
    }

}
