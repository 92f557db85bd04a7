package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * PostgreSQL itself stopped for 15 s (the server process, by {@code pg_ctl stop -m fast}: every session terminated,
 * new connections refused) while two packaged replicas are under load. Cached callers are served throughout, callers
 * that need the store get 503 {@code store-unavailable} with {@code Retry-After}, nothing answers 500, and once the
 * server is started again both replicas enrol, refresh and see each other's operator changes without a restart.
 * <p>
 * Needs CI's PostgreSQL and a way to stop and start it: {@code GATEWAY_IT_PG_CTL}, a command taking {@code stop} or
 * {@code start} ({@code .ci/run} writes one for the server it starts).
 */
class StoreOutageIT {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";
    private static final String STORE_UNAVAILABLE = "urn:damoov-gateway:problem:store-unavailable";
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @Test
    void shouldServeCachedCallersAndRefuseNewOnesWith503WhilePostgresqlIsStoppedAndRecoverWithoutRestart()
            throws Exception {
        Assumptions.assumeTrue(ItEnvironment.postgres(), "needs PostgreSQL (QUARKUS_DATASOURCE_JDBC_URL)");
        String ctl = System.getenv("GATEWAY_IT_PG_CTL");
        Assumptions.assumeTrue(ctl != null && !ctl.isBlank(), "needs GATEWAY_IT_PG_CTL to stop and start PostgreSQL");

        try (ItEnvironment env = new ItEnvironment()) {
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            try (GatewayProcess a = GatewayProcess.start(config, env.workDir.resolve("a"));
                    GatewayProcess b = GatewayProcess.start(config, env.workDir.resolve("b"))) {
                List<GatewayProcess> replicas = List.of(a, b);
                // Given: eight users whose mapping and Damoov token both replicas hold
                List<String> cached = new ArrayList<>();
                List<String> deviceTokens = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String token = env.clientToken("cached-" + i + "-" + UUID.randomUUID());
                    cached.add(token);
                    deviceTokens.add(new JsonObject(env.get(a, "/me", token, null).body()).getString("deviceToken"));
                    for (GatewayProcess gw : replicas) {
                        assertThat(env.get(gw, STATS, token, null).statusCode()).isEqualTo(200);
                    }
                }

                // and a steady load of those users on both replicas, before, during and after the outage
                ConcurrentMap<Integer, AtomicInteger> cachedStatuses = new ConcurrentHashMap<>();
                AtomicBoolean loading = new AtomicBoolean(true);
                ExecutorService load = Executors.newFixedThreadPool(8);
                for (int t = 0; t < 8; t++) {
                    String token = cached.get(t);
                    GatewayProcess gw = replicas.get(t % 2);
                    load.submit(() -> {
                        while (loading.get()) {
                            int status;
                            try {
                                status = env.get(gw, STATS, token, null).statusCode();
                            } catch (Exception e) {
                                status = -1; // no answer at all
                            }
                            cachedStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        }
                        return null;
                    });
                }

                List<HttpResponse<String>> newcomers = new ArrayList<>();
                int servedBefore;
                int servedDuring;
                try {
                    Thread.sleep(1000);
                    servedBefore = served(cachedStatuses);

                    // When: PostgreSQL is stopped for 15 s; new users keep arriving on both replicas
                    pgctl(ctl, "stop");
                    try {
                        long until = System.nanoTime() + OUTAGE.toNanos();
                        int i = 0;
                        while (System.nanoTime() < until) {
                            String newcomer = env.clientToken("newcomer-" + i + "-" + UUID.randomUUID());
                            newcomers.add(env.get(replicas.get(i++ % 2), "/me", newcomer, null));
                            Thread.sleep(500);
                        }
                        servedDuring = served(cachedStatuses) - servedBefore;
                    } finally {
                        pgctl(ctl, "start");
                    }

                    // Then: after the restart, new users are enrolled on both replicas, with no gateway restart
                    for (GatewayProcess gw : replicas) {
                        String after = env.clientToken("after-" + UUID.randomUUID());
                        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                                .until(() -> env.get(gw, "/me", after, null).statusCode() == 200);
                    }
                    Thread.sleep(1000);
                } finally {
                    loading.set(false);
                    load.shutdown();
                    assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                }

                // cached users were answered 200 throughout, and kept being served during the outage
                assertThat(cachedStatuses.keySet()).as("statuses of cached callers: %s", cachedStatuses)
                        .containsOnly(200);
                assertThat(servedDuring).as("cached calls answered during the outage").isGreaterThan(100);
                // every newcomer during the outage got 503 store-unavailable with Retry-After, none a 500
                assertThat(newcomers).hasSizeGreaterThanOrEqualTo(5);
                for (HttpResponse<String> r : newcomers) {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                            ct -> assertThat(ct).startsWith("application/problem+json"));
                    assertThat(new JsonObject(r.body()).getString("type")).isEqualTo(STORE_UNAVAILABLE);
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                }

                // the token lifecycle works again: an expired token is refreshed and stored
                int refreshes = env.sandbox.calls("refresh");
                env.sandbox.expireAllTokens();
                assertThat(env.get(a, STATS, cached.get(0), null).statusCode()).isEqualTo(200);
                assertThat(env.sandbox.calls("refresh") - refreshes).isEqualTo(1);
                assertThat(env.get(b, STATS, cached.get(0), null).statusCode()).isEqualTo(200);
                assertThat(env.sandbox.calls("refresh") - refreshes).isEqualTo(1);
                assertThat(env.sandbox.calls("login")).isZero();

                // and an operator change on A reaches B again (its change feed listens anew)
                String subject = "moved-" + UUID.randomUUID();
                String moved = env.clientToken(subject);
                String old = new JsonObject(env.get(b, "/me", moved, null).body()).getString("deviceToken");
                assertThat(env.operator(a, "DELETE", "/admin/v1/tenants/" + env.tenant + "/users/" + subject))
                        .isEqualTo(204);
                Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !old.equals(
                                new JsonObject(env.get(b, "/me", moved, null).body()).getString("deviceToken")));

                // the outage is logged at WARN, never at ERROR, and nothing the driver said carries a credential
                for (GatewayProcess gw : replicas) {
                    String log = gw.log();
                    assertThat(log.lines().filter(l -> l.contains(" ERROR ")).toList()).isEmpty();
                    assertThat(log).doesNotContain(ItEnvironment.INSTANCE_KEY);
                    for (String deviceToken : deviceTokens) {
                        assertThat(log).doesNotContain(deviceToken);
                    }
                }
            }
        }
    }

    private static int served(Map<Integer, AtomicInteger> statuses) {
        AtomicInteger ok = statuses.get(200);
        return ok == null ? 0 : ok.get();
    }

    /** Runs {@code GATEWAY_IT_PG_CTL stop|start}; fails the test when the command does. */
    private static void pgctl(String ctl, String action) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ctl, action).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s %s: %s", ctl, action, out).isZero();
    }
}
