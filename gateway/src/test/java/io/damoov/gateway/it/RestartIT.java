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
