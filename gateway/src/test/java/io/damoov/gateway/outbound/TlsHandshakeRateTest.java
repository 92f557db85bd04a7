package io.damoov.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.support.InjectSandbox;
import io.damoov.gateway.support.SandboxResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * Pooled keep-alive stays pooled under TLS: with an upstream pool of {@value #POOL} connections and {@value #CONCURRENCY}
 * callers at once, {@value #REQUESTS} proxied requests after a warm-up open no more TLS connections to the sandbox
 * (each one a full handshake, counted as its {@code GET /_sandbox/tls} serves it) than the pool holds, and every request is
 * answered. The rate and the handshake count are printed for {@code bench/tls/RESULTS.md}, not asserted.
 */
@QuarkusTest
@TestProfile(TlsHandshakeRateTest.Pooled.class)
class TlsHandshakeRateTest {

    static final int POOL = 8;
    static final int CONCURRENCY = 32;
    static final int REQUESTS = 500;

    public static class Pooled implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SandboxResource.class, Map.of("tls", "true")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.upstream-pool-size", Integer.toString(POOL));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @InjectSandbox
    DamoovSandbox sandbox;

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void shouldOpenNoMoreTlsConnectionsThanThePoolHoldsUnderConcurrentLoad() throws Exception {
        // Given: an enrolled user (registration and JWKS over TLS too) and a warmed-up pool
        String token = sandbox.idp("acme").mint("user-" + UUID.randomUUID(), List.of("driver"), Duration.ofHours(1));
        RestAssured.given().header("Authorization", "Bearer " + token).get("/me").then().statusCode(200);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "api/indicators/v3/Statistics"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
        assertThat(run(client, request, 100)).isEqualTo(100);
        JsonObject warm = tls();

        // When: 500 requests, 32 at once
        long started = System.nanoTime();
        int ok = run(client, request, REQUESTS);
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonObject after = tls();

        // Then: every one answered, and the pool's connections carried them all
        int handshakes = after.getInteger("connections") - warm.getInteger("connections");
        System.out.printf("TlsHandshakeRateTest: %d requests (%d at once, pool %d) in %.2f s = %.0f req/s;"
                + " TLS handshakes: %d during the run, %d during warm-up; open after: %d%n", REQUESTS, CONCURRENCY,
                POOL, seconds, REQUESTS / seconds, handshakes, warm.getInteger("connections"),
                after.getInteger("open"));
        assertThat(ok).isEqualTo(REQUESTS);
        assertThat(handshakes).isLessThanOrEqualTo(POOL);
        // + the auth client's and the JWKS client's connections (registration, keys), idle since
        assertThat(after.getInteger("open")).isLessThanOrEqualTo(POOL + 4);
        assertThat(after.getInteger("refusedWithoutSni")).isZero();
    }

    /** Sends {@code count} requests, {@link #CONCURRENCY} at once; returns how many were answered 200. */
    private static int run(HttpClient client, HttpRequest request, int count) throws Exception {
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        AtomicInteger ok = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, t) -> {
                if (t == null && r.statusCode() == 200) {
                    ok.incrementAndGet();
                }
                inFlight.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
        return ok.get();
    }

    /**
     * The sandbox's TLS counters, as {@code GET /_sandbox/tls} serves them (SandboxTlsTest), read in-process: a
     * control call would be a TLS connection of its own.
     */
    private JsonObject tls() {
        return sandbox.tlsJson();
    }
}
