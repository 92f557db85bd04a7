package io.damoov.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.support.InjectSandbox;
import io.damoov.gateway.support.Relays;
import io.damoov.gateway.support.SandboxResource;
import io.damoov.gateway.support.TcpRelay;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A Damoov host that accepts TCP connections and never answers (a TLS handshake that gets no reply) costs each caller
 * the connect timeout (2 s here) until its circuit breaker opens: after {@code failure-threshold} (3) such failures,
 * calls to that host answer at once with 503 {@code upstream-circuit-open} and make no connection attempt; once the
 * host answers again, the probe after {@code delay} (2 s) closes the breaker. {@code leaderboard} (a data host) and
 * {@code user} (the auth host: registration, login, refresh) are each behind a {@link TcpRelay} of their own.
 */
@QuarkusTest
@TestProfile(CircuitBreakerTest.Relayed.class)
class CircuitBreakerTest {

    public static class Relayed implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SandboxResource.class,
                    Map.of("tls", "true", "relay", "leaderboard,user")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.circuit-breaker.failure-threshold", "3", "gateway.circuit-breaker.delay", "PT2S");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final long CONNECT_TIMEOUT_MILLIS = 2000; // SandboxResource's gateway.connect-timeout

    @InjectSandbox
    DamoovSandbox sandbox;

    @InjectSandbox
    Relays relays;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void shouldAnswerADeadDataHostAtOnceWithoutConnectingAndCloseWhenItIsBack() {
        // Given: an enrolled user, and the leaderboard host gone silent
        String user = token();
        as(user).get("/me").then().statusCode(200);
        TcpRelay relay = relays.of("leaderboard");
        double refusedBefore = sample("gateway_upstream_failures_total{reason=\"circuit-open\",upstream=\"leaderboard\"}");
        relay.silence();
        try {
            // When: three calls, each waiting the connect timeout (the handshake never gets an answer)
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                leaderboard(user).then().statusCode(502).contentType("application/problem+json")
                        .body("type", equalTo("urn:damoov-gateway:problem:upstream-tls-handshake"));
                assertThat(millisSince(started)).isGreaterThanOrEqualTo(CONNECT_TIMEOUT_MILLIS - 200);
            }
            int attempts = relay.accepted();
            assertThat(attempts).isBetween(3, 4);
            await().atMost(Duration.ofSeconds(5)).until(() -> circuitOpen("leaderboard") == 1);

            // Then: at once, 503 with Retry-After and a problem type of its own, and no connection attempt
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                Response r = leaderboard(user);
                long took = millisSince(started);
                r.then().statusCode(503).contentType("application/problem+json")
                        .body("type", equalTo("urn:damoov-gateway:problem:upstream-circuit-open"))
                        .body("status", equalTo(503));
                assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 2);
                assertThat(r.header("X-Request-Id")).isNotBlank();
                assertThat(took).as("call %d took %d ms", i, took).isLessThan(CONNECT_TIMEOUT_MILLIS / 2);
            }
            assertThat(relay.accepted()).isEqualTo(attempts);
            assertThat(sample("gateway_upstream_failures_total{reason=\"circuit-open\",upstream=\"leaderboard\"}"))
                    .isEqualTo(refusedBefore + 20);
            // another host is not affected, and the silent host never got more than TLS handshakes
            as(user).get("/api/indicators/v3/Statistics").then().statusCode(200);
            assertThat(circuitOpen("api")).isZero();
            assertThat(relay.silencedBytes()).doesNotContain(SandboxResource.ACME_INSTANCE_KEY)
                    .doesNotContain("InstanceKey");
        } finally {
            relay.forward();
        }

        // When the host is back: after the delay one probe passes, which closes the breaker
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> leaderboard(user).statusCode() == 200);
        for (int i = 0; i < 5; i++) {
            leaderboard(user).then().statusCode(200);
        }
        assertThat(circuitOpen("leaderboard")).isZero();
    }

    @Test
    void shouldRefuseRegistrationsAtOnceWhileTheAuthHostsBreakerIsOpenAndEnrolOnceItIsBack() {
        // Given: the auth host gone silent; a registration tries three times, each waiting the connect timeout
        TcpRelay relay = relays.of("user");
        relay.silence();
        try {
            as(token()).get("/me").then().statusCode(502).contentType("application/problem+json")
                    .body("type", equalTo("urn:damoov-gateway:problem:upstream-tls-handshake"));
            await().atMost(Duration.ofSeconds(5)).until(() -> circuitOpen("user") == 1);
            int attempts = relay.accepted();
            assertThat(attempts).isPositive();

            // When: another new user
            long started = System.nanoTime();
            Response r = as(token()).get("/me");

            // Then: refused at once, without a connection attempt
            r.then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("urn:damoov-gateway:problem:upstream-circuit-open"));
            assertThat(r.header("Retry-After")).isNotBlank();
            assertThat(millisSince(started)).isLessThan(CONNECT_TIMEOUT_MILLIS / 2);
            assertThat(relay.accepted()).isEqualTo(attempts);
            assertThat(relay.silencedBytes()).doesNotContain(SandboxResource.ACME_INSTANCE_KEY)
                    .doesNotContain("InstanceKey");
        } finally {
            relay.forward();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> as(token()).get("/me").statusCode() == 200);
        assertThat(circuitOpen("user")).isZero();
    }

    private Response leaderboard(String user) {
        return as(user).get("/leaderboard/v1/Leaderboard");
    }

    private double circuitOpen(String upstream) {
        return sample("gateway_upstream_circuit_open{upstream=\"" + upstream + "\"}");
    }

    private double sample(String series) {
        return RestAssured.given().get(metrics).asString().lines().filter(l -> l.startsWith(series + " "))
                .findFirst().map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(-1.0);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private String token() {
        return sandbox.idp("acme").mint("user-" + UUID.randomUUID(), List.of("driver"), Duration.ofHours(1));
    }

    private static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }
}
