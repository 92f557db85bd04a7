package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * Two packaged replicas on one PostgreSQL, one of them failing: frozen (SIGSTOP) or killed (SIGKILL) while it
 * refreshes an identity, a launch day of first-time users on a pool of 4 connections, a store that fails the save of
 * a rotated token, and operator changes that must reach the other replica. Needs CI's PostgreSQL.
 */
class ReplicaFailureIT {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration TOKEN_LATENCY = Duration.ofMillis(1500);

    @BeforeEach
    void needsPostgres() {
        Assumptions.assumeTrue(ItEnvironment.postgres(), "needs PostgreSQL (QUARKUS_DATASOURCE_JDBC_URL)");
    }

    private static Map<String, String> config(ItEnvironment env) {
        Map<String, String> c = env.config(ItEnvironment.KEY_A);
        c.put("gateway.lease-time", LEASE.toString());
        c.put("gateway.auth-timeout", "PT2S");
        return c;
    }

    @Test
    void shouldServeTheIdentityOnBWithinTheLeaseWhenAFreezesWhileItRefreshes() throws Exception {
        try (ItEnvironment env = new ItEnvironment();
                GatewayProcess a = GatewayProcess.start(config(env), env.workDir.resolve("a"));
                GatewayProcess b = GatewayProcess.start(config(env), env.workDir.resolve("b"))) {
            // Given: A is refreshing the identity at a slow token endpoint when it freezes
            // When / Then: B serves the identity within the lease, with at most one login
            String token = takeOverOnB(env, a, b, a::freeze);

            // and A, thawed, goes on without another login
            a.thaw();
            HttpResponse<String> onA = env.get(a, STATS, token, null);
            assertThat(onA.statusCode()).as(onA.body()).isEqualTo(200);
            assertThat(env.get(b, STATS, token, null).statusCode()).isEqualTo(200);
            assertThat(env.sandbox.calls("login")).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldServeTheIdentityOnBWithinTheLeaseWhenAIsKilledWhileItRefreshes() throws Exception {
        try (ItEnvironment env = new ItEnvironment();
                GatewayProcess a = GatewayProcess.start(config(env), env.workDir.resolve("a"));
                GatewayProcess b = GatewayProcess.start(config(env), env.workDir.resolve("b"))) {
            String token = takeOverOnB(env, a, b, a::kill);
            assertThat(env.get(b, STATS, token, null).statusCode()).isEqualTo(200);
            assertThat(env.sandbox.calls("login")).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldEnrolEachOf100FirstTimeUsersOnceOnAPoolOfFourConnections() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            Map<String, String> c = config(env);
            c.put("quarkus.datasource.jdbc.max-size", "4");
            try (GatewayProcess a = GatewayProcess.start(c, env.workDir.resolve("a"));
                    GatewayProcess b = GatewayProcess.start(c, env.workDir.resolve("b"))) {
                env.sandbox.settings().setTokenLatency(Duration.ofMillis(200));
                ExecutorService pool = Executors.newFixedThreadPool(100);
                try {
                    // When: 100 new users call /me at once, half on each replica (a push campaign)
                    List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        GatewayProcess gw = i % 2 == 0 ? a : b;
                        String token = env.clientToken("launch-" + i + "-" + UUID.randomUUID());
                        calls.add(() -> env.get(gw, "/me", token, null));
                    }
                    Set<String> deviceTokens = new HashSet<>();
                    List<Integer> statuses = new ArrayList<>();
                    for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                        statuses.add(f.get().statusCode());
                        if (f.get().statusCode() == 200) {
                            deviceTokens.add(new JsonObject(f.get().body()).getString("deviceToken"));
                        }
                    }

                    // Then: all enrolled, each once, no 500
                    assertThat(statuses).containsOnly(200);
                    assertThat(deviceTokens).hasSize(100);
                    assertThat(env.sandbox.calls("register")).isEqualTo(100);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void shouldKeepARotatedTokenWhoseSaveFailedAndNeverLogInForIt() throws Exception {
        try (ItEnvironment env = new ItEnvironment();
                GatewayProcess a = GatewayProcess.start(config(env), env.workDir.resolve("a"))) {
            String token = env.clientToken("rotated-" + UUID.randomUUID());
            assertThat(env.get(a, STATS, token, null).statusCode()).isEqualTo(200);
            try (Connection db = env.jdbc(); Statement st = db.createStatement()) {
                failTokenSaves(st, env.tenant, true);
                try {
                    // Given: Damoov rotates the identity's token, and the store refuses to save the new pair
                    env.sandbox.expireAllTokens();
                    int refreshes = env.sandbox.calls("refresh");

                    // When: the user calls, and calls again
                    assertThat(env.get(a, STATS, token, null).statusCode()).isEqualTo(200);
                    assertThat(env.get(a, STATS, token, null).statusCode()).isEqualTo(200);

                    // Then: one refresh, no login
                    assertThat(env.sandbox.calls("refresh") - refreshes).isEqualTo(1);
                    assertThat(env.sandbox.calls("login")).isZero();
                } finally {
                    failTokenSaves(st, env.tenant, false);
                }
            }
            // When: the store accepts writes again, the kept pair is stored; a fresh replica uses it as it is
            Thread.sleep(2500);
            try (GatewayProcess b = GatewayProcess.start(config(env), env.workDir.resolve("b"))) {
                int refreshes = env.sandbox.calls("refresh");
                assertThat(env.get(b, STATS, token, null).statusCode()).isEqualTo(200);
                assertThat(env.sandbox.calls("refresh") - refreshes).isZero();
                assertThat(env.sandbox.calls("login")).isZero();
            }
            assertThat(a.log()).contains("could not be stored").contains("is stored");
        }
    }

    @Test
    void shouldStopUsingADeletedMappingAndRevokedTokensOnTheOtherReplicaWithinASecond() throws Exception {
        try (ItEnvironment env = new ItEnvironment();
                GatewayProcess a = GatewayProcess.start(config(env), env.workDir.resolve("a"));
                GatewayProcess b = GatewayProcess.start(config(env), env.workDir.resolve("b"))) {
            // Given: two users held by both replicas
            String subject = "deleted-" + UUID.randomUUID();
            String deleted = env.clientToken(subject);
            String oldDeviceToken = new JsonObject(env.get(a, "/me", deleted, null).body()).getString("deviceToken");
            String revokedSubject = "revoked-" + UUID.randomUUID();
            String revoked = env.clientToken(revokedSubject);
            String revokedDeviceToken = new JsonObject(env.get(a, "/me", revoked, null).body())
                    .getString("deviceToken");
            for (String t : List.of(deleted, revoked)) {
                assertThat(env.get(a, STATS, t, null).statusCode()).isEqualTo(200);
                assertThat(env.get(b, STATS, t, null).statusCode()).isEqualTo(200);
            }
            int logins = env.sandbox.callsBy("login", revokedDeviceToken);

            // When: an operator deletes one mapping and revokes the other user's tokens on A
            String base = "/admin/v1/tenants/" + env.tenant;
            assertThat(env.operator(a, "DELETE", base + "/users/" + subject)).isEqualTo(204);
            assertThat(env.operator(a, "DELETE", base + "/tokens/" + revokedSubject)).isEqualTo(200);
            Thread.sleep(1000);

            // Then: B no longer uses the deleted mapping (the user is enrolled anew) ...
            String newDeviceToken = new JsonObject(env.get(b, "/me", deleted, null).body()).getString("deviceToken");
            assertThat(newDeviceToken).isNotEqualTo(oldDeviceToken);
            // ... nor the revoked token (a new one comes from a login)
            assertThat(env.get(b, STATS, revoked, null).statusCode()).isEqualTo(200);
            assertThat(env.sandbox.callsBy("login", revokedDeviceToken)).isEqualTo(logins + 1);
        }
    }

    @Test
    void shouldEnrolAUserOnBWhenAFreezesAfterDamoovRegisteredItAndBeforeTheAnswerArrived() throws Exception {
        try (ItEnvironment env = new ItEnvironment();
                GatewayProcess a = GatewayProcess.start(config(env), env.workDir.resolve("a"));
                GatewayProcess b = GatewayProcess.start(config(env), env.workDir.resolve("b"))) {
            // Given: A registers a new user; Damoov creates the account, and A freezes before the answer arrives
            String token = env.clientToken("lost-answer-" + UUID.randomUUID());
            env.sandbox.settings().setTokenLatency(TOKEN_LATENCY);
            CompletableFuture.runAsync(() -> {
                try {
                    env.get(a, "/me", token, null);
                } catch (Exception e) {
                    // A freezes under this call
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (env.sandbox.calls("register") == 0) {
                assertThat(System.nanoTime()).as("A registers").isLessThan(deadline);
                Thread.sleep(10);
            }
            a.freeze();
            env.sandbox.settings().setTokenLatency(Duration.ZERO);

            // When: the user calls B, which takes over the enrolment after A's lease
            HttpResponse<String> onB = env.get(b, "/me", token, null);

            // Then: B enrols the account Damoov already made (one login proves it is there), not a second one
            assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
            String deviceToken = new JsonObject(onB.body()).getString("deviceToken");
            assertThat(env.sandbox.deviceTokens(env.tenant + "-instance")).containsExactly(deviceToken);
            assertThat(env.sandbox.calls("login")).isLessThanOrEqualTo(1);
            assertThat(env.get(b, STATS, token, null).statusCode()).isEqualTo(200);

            // and A, thawed, has the same mapping
            a.thaw();
            HttpResponse<String> onA = env.get(a, "/me", token, null);
            assertThat(onA.statusCode()).as(onA.body()).isEqualTo(200);
            assertThat(new JsonObject(onA.body()).getString("deviceToken")).isEqualTo(deviceToken);
            assertThat(env.sandbox.calls("login")).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldEnrolTheUserWhoseRegistrationTimedOutAfterDamoovMadeTheAccount() throws Exception {
        try (ItEnvironment env = new ItEnvironment();
                GatewayProcess a = GatewayProcess.start(config(env), env.workDir.resolve("a"))) {
            // Given: a registration Damoov carries out but answers after the gateway's auth timeout
            String token = env.clientToken("timed-out-" + UUID.randomUUID());
            env.sandbox.settings().setTokenLatency(Duration.ofSeconds(3));
            HttpResponse<String> first = env.get(a, "/me", token, null);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(504);
            env.sandbox.settings().setTokenLatency(Duration.ZERO);

            // When: the user calls again
            HttpResponse<String> again = env.get(a, "/me", token, null);

            // Then: the account Damoov made is the user's mapping, with at most one login and no second account
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(env.sandbox.deviceTokens(env.tenant + "-instance"))
                    .containsExactly(new JsonObject(again.body()).getString("deviceToken"));
            assertThat(env.get(a, STATS, token, null).statusCode()).isEqualTo(200);
            assertThat(env.get(a, STATS, token, null).statusCode()).isEqualTo(200);
            assertThat(env.sandbox.calls("login")).isLessThanOrEqualTo(1);
        }
    }

    /**
     * A user both replicas hold; {@code failure} happens to A while it refreshes the user's token; then B must answer
     * within the lease plus one refresh (and a login: A spent the refresh token), with at most one login. Returns the
     * user's client token.
     */
    private static String takeOverOnB(ItEnvironment env, GatewayProcess a, GatewayProcess b, Failure failure)
            throws Exception {
        String token = holdOnBoth(env, a, b);
        refreshOnAThen(env, a, token, failure);

        long started = System.nanoTime();
        HttpResponse<String> onB = env.get(b, STATS, token, null);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(onB.statusCode()).isEqualTo(200);
        assertThat(took).isLessThan(LEASE.plus(TOKEN_LATENCY).plusSeconds(2));
        assertThat(env.sandbox.calls("login")).isLessThanOrEqualTo(1);
        return token;
    }

    /** A new user, enrolled, whose Damoov token both replicas hold; returns the user's client token. */
    private static String holdOnBoth(ItEnvironment env, GatewayProcess a, GatewayProcess b) throws Exception {
        String token = env.clientToken("frozen-" + UUID.randomUUID());
        assertThat(env.get(a, STATS, token, null).statusCode()).isEqualTo(200);
        assertThat(env.get(b, STATS, token, null).statusCode()).isEqualTo(200);
        return token;
    }

    @FunctionalInterface
    private interface Failure {
        void happen() throws Exception;
    }

    /** Expires the token at Damoov, starts a call on A, and lets {@code failure} happen while A refreshes. */
    private static void refreshOnAThen(ItEnvironment env, GatewayProcess a, String token, Failure failure)
            throws Exception {
        env.sandbox.expireAllTokens();
        env.sandbox.settings().setTokenLatency(TOKEN_LATENCY);
        int refreshes = env.sandbox.calls("refresh");
        CompletableFuture.runAsync(() -> {
            try {
                env.get(a, STATS, token, null);
            } catch (Exception e) {
                // A freezes or dies under this call
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (env.sandbox.calls("refresh") == refreshes) {
            assertThat(System.nanoTime()).as("A refreshes").isLessThan(deadline);
            Thread.sleep(10);
        }
        failure.happen();
        env.sandbox.settings().setTokenLatency(Duration.ZERO);
    }

    /** A trigger (of this test only) that fails the save of a new token of {@code tenant} while switched on. */
    private static void failTokenSaves(Statement st, String tenant, boolean on) throws Exception {
        st.execute("CREATE TABLE IF NOT EXISTS it_fail_token_saves (tenant VARCHAR(64) PRIMARY KEY)");
        st.execute("CREATE OR REPLACE FUNCTION it_fail_token_save() RETURNS trigger AS $$ BEGIN"
                + " IF EXISTS (SELECT 1 FROM it_fail_token_saves WHERE tenant = NEW.tenant)"
                + " AND NEW.access_token IS DISTINCT FROM OLD.access_token THEN"
                + " RAISE EXCEPTION 'it: the store refuses this write' USING ERRCODE = '08006'; END IF;"
                + " RETURN NEW; END $$ LANGUAGE plpgsql");
        st.execute("DROP TRIGGER IF EXISTS it_fail_token_save ON damoov_token");
        st.execute("CREATE TRIGGER it_fail_token_save BEFORE UPDATE ON damoov_token FOR EACH ROW"
                + " EXECUTE FUNCTION it_fail_token_save()");
        st.execute(on ? "INSERT INTO it_fail_token_saves VALUES ('" + tenant + "') ON CONFLICT DO NOTHING"
                : "DELETE FROM it_fail_token_saves WHERE tenant = '" + tenant + "'");
    }
}
