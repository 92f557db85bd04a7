package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two gateway processes sharing one PostgreSQL: one registration per new user and one refresh per identity, however
 * the concurrent calls are spread over the replicas. Needs CI's PostgreSQL (H2 is single-process by design).
 */
class TwoReplicasIT {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    @Test
    void shouldRegisterOnceAndRefreshOnceAcrossTwoReplicas() throws Exception {
        Assumptions.assumeTrue(ItEnvironment.postgres(), "needs PostgreSQL (QUARKUS_DATASOURCE_JDBC_URL)");
        try (ItEnvironment env = new ItEnvironment();
                GatewayProcess a = GatewayProcess.start(env.config(ItEnvironment.KEY_A), env.workDir.resolve("a"));
                GatewayProcess b = GatewayProcess.start(env.config(ItEnvironment.KEY_A), env.workDir.resolve("b"))) {
            ExecutorService pool = Executors.newFixedThreadPool(100);
            try {
                // Given: a new user and a slow registration endpoint
                String token = env.clientToken("carol-" + UUID.randomUUID());
                env.sandbox.settings().setTokenLatency(Duration.ofMillis(500));

                // When: 20 concurrent first calls, 10 on each replica
                List<Callable<HttpResponse<String>>> first = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    GatewayProcess gw = i % 2 == 0 ? a : b;
                    first.add(() -> env.get(gw, "/me", token, null));
                }
                List<String> deviceTokens = new ArrayList<>();
                for (Future<HttpResponse<String>> f : pool.invokeAll(first)) {
                    assertThat(f.get().statusCode()).isEqualTo(200);
                    deviceTokens.add(new io.vertx.core.json.JsonObject(f.get().body()).getString("deviceToken"));
                }

                // Then: one registration, one DeviceToken
                assertThat(env.sandbox.calls("register")).isEqualTo(1);
                assertThat(deviceTokens).containsOnly(deviceTokens.get(0));

                // Given: both replicas hold the user's token, which then expires at Damoov
                assertThat(env.get(a, STATS, token, null).statusCode()).isEqualTo(200);
                assertThat(env.get(b, STATS, token, null).statusCode()).isEqualTo(200);
                env.sandbox.expireAllTokens();
                int refreshes = env.sandbox.calls("refresh");

                // When: 50 concurrent requests on each replica
                List<Callable<HttpResponse<String>>> burst = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    GatewayProcess gw = i % 2 == 0 ? a : b;
                    int n = i;
                    burst.add(() -> env.post(gw, "/api/trips/get/v1", token, "{\"n\":" + n + "}"));
                }
                for (Future<HttpResponse<String>> f : pool.invokeAll(burst)) {
                    assertThat(f.get().statusCode()).isEqualTo(200);
                }

                // Then: exactly one refresh at Damoov, and no login
                assertThat(env.sandbox.calls("refresh") - refreshes).isEqualTo(1);
                assertThat(env.sandbox.calls("login")).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
