package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Restarts of the packaged gateway: tokens survive, audit records survive SIGTERM, a changed key is handled. */
class RestartIT {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    @Test
    void shouldKeepTokensAndAuditRecordsAcrossASigtermAndRestart() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            // Given: an enrolled user and N requests
            String token = env.clientToken("alice-" + UUID.randomUUID());
            List<String> requestIds = new ArrayList<>();
            try (GatewayProcess gw = GatewayProcess.start(env.config(ItEnvironment.KEY_A), env.workDir)) {
                assertThat(env.get(gw, "/me", token, null).statusCode()).isEqualTo(200);
                for (int i = 0; i < 25; i++) {
                    String id = "rid-" + UUID.randomUUID();
                    requestIds.add(id);
                    assertThat(env.get(gw, STATS, token, id).statusCode()).isEqualTo(200);
                }
                // When: SIGTERM right after the requests
                assertThat(gw.terminate()).isIn(0, 143);
            }

            // Then: every request has its audit record
            assertThat(countAudit(env, requestIds)).isEqualTo(requestIds.size());

            // and a restart with the valid stored token costs no login and no refresh
            int logins = env.sandbox.calls("login");
            int refreshes = env.sandbox.calls("refresh");
            try (GatewayProcess gw = GatewayProcess.start(env.config(ItEnvironment.KEY_A), env.workDir)) {
                assertThat(env.get(gw, STATS, token, null).statusCode()).isEqualTo(200);
                // the schema is current: the start skipped Flyway
                assertThat(gw.log()).contains("(current, no migration needed)").doesNotContain("org.fly");
            }
            assertThat(env.sandbox.calls("login")).isEqualTo(logins);
            assertThat(env.sandbox.calls("refresh")).isEqualTo(refreshes);
        }
    }

    @Test
    void shouldMoveTheAuditRecordsAnEarlierVersionKeptInH2sTableToTheFilesOnce() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ItEnvironment.postgres(), "the embedded store's own migration");
        try (ItEnvironment env = new ItEnvironment()) {
            try (GatewayProcess gw = GatewayProcess.start(env.config(ItEnvironment.KEY_A), env.workDir)) {
                assertThat(gw.terminate()).isIn(0, 143); // the schema made
            }
            // Given: records an earlier version wrote into H2's audit table
            List<String> requestIds = new ArrayList<>();
            try (java.sql.Connection c = env.jdbc();
                    java.sql.PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO audit_record (id, at, tenant, subject, action, route, method, path, status,"
                                    + " upstream_status, request_id, latency_ms) VALUES (?, ?, ?, 'old', 'use', 'r', 'GET',"
                                    + " '/p', 200, 200, ?, 1)")) {
                for (int i = 0; i < 30; i++) {
                    String id = "table-" + UUID.randomUUID();
                    requestIds.add(id);
                    ps.setString(1, io.damoov.gateway.core.Ids.uuid7());
                    ps.setLong(2, System.currentTimeMillis() - 60_000 + i);
                    ps.setString(3, env.tenant);
                    ps.setString(4, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }

            // When: this version starts on that ./data, twice
            for (int start = 0; start < 2; start++) {
                try (GatewayProcess gw = GatewayProcess.start(env.config(ItEnvironment.KEY_A), env.workDir)) {
                    assertThat(gw.log().contains("moved 30 records from the H2 table")).isEqualTo(start == 0);
                    assertThat(gw.terminate()).isIn(0, 143);
                }
            }

            // Then: the records are in the files, once, and the table is empty
            assertThat(countAudit(env, requestIds)).isEqualTo(requestIds.size());
            try (var files = java.nio.file.Files.walk(env.workDir.resolve("data/audit"))) {
                long lines = files.filter(f -> f.toString().endsWith(".ndjson")).flatMap(f -> {
                    try {
                        return java.nio.file.Files.readAllLines(f).stream();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).filter(l -> l.contains("\"requestId\":\"table-")).count();
                assertThat(lines).isEqualTo(requestIds.size());
            }
            try (java.sql.Connection c = env.jdbc();
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM audit_record")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void shouldReAuthenticateInsteadOfCrashingWhenTheEncryptionKeyChanged() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            String subject = "bob-" + UUID.randomUUID();
            String token = env.clientToken(subject);
            try (GatewayProcess gw = GatewayProcess.start(env.config(ItEnvironment.KEY_A), env.workDir)) {
                assertThat(env.get(gw, STATS, token, null).statusCode()).isEqualTo(200);
            }
            // the store holds no clear-text Damoov token
            String issued = env.sandbox.last("data").headers().get("Authorization").substring("Bearer ".length());
            assertThat(storedTokenColumns(env)).isNotEmpty().noneMatch(v -> v.contains(issued));

            try (GatewayProcess gw = GatewayProcess.start(env.config(ItEnvironment.KEY_B), env.workDir)) {
                HttpResponse<String> r = env.get(gw, STATS, token, null);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(gw.log()).contains("cannot be decrypted with the current key");
            }
            assertThat(env.sandbox.calls("login.user")).isEqualTo(1);
        }
    }

    private static int countAudit(ItEnvironment env, List<String> requestIds) throws Exception {
        if (!ItEnvironment.postgres()) { // the embedded store keeps audit records in files under data/audit
            java.util.Set<String> lines;
            try (var files = java.nio.file.Files.walk(env.workDir.resolve("data/audit"))) {
                lines = files.filter(f -> f.toString().endsWith(".ndjson")).flatMap(f -> {
                    try {
                        return java.nio.file.Files.readAllLines(f).stream();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).filter(l -> l.contains("\"action\":\"use\"")).collect(java.util.stream.Collectors.toSet());
            }
            return (int) requestIds.stream()
                    .filter(id -> lines.stream().anyMatch(l -> l.contains("\"requestId\":\"" + id + "\""))).count();
        }
        try (Connection c = env.jdbc();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM audit_record WHERE action = 'use' AND request_id = ?")) {
            int total = 0;
            for (String id : requestIds) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total += rs.getInt(1);
                }
            }
            return total;
        }
    }

    private static List<String> storedTokenColumns(ItEnvironment env) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = env.jdbc();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT access_token, refresh_token FROM damoov_token WHERE tenant = ?")) {
            ps.setString(1, env.tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) != null) {
                        values.add(rs.getString(1));
                        values.add(rs.getString(2));
                    }
                }
            }
        }
        return values;
    }
}
