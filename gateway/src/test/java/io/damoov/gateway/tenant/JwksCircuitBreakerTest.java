package io.damoov.gateway.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.sandbox.DemoIdentityProvider;
import io.damoov.gateway.support.InjectSandbox;
import io.damoov.gateway.support.Relays;
import io.damoov.gateway.support.SandboxResource;
import io.damoov.gateway.support.TcpRelay;
import io.damoov.gateway.support.TestClock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A tenant's JWKS host that accepts TCP connections and never answers (a TLS handshake without a reply) costs the
 * request whose unknown {@code kid} fetches the JWKS the connect timeout (2 s here), until the host's circuit breaker
 * opens (the per-host breakers of the Damoov hosts): after {@code failure-threshold} (3) such fetches, a fetch is
 * refused without a connection attempt and the token with the unknown {@code kid} is 401 at once, as for any failed
 * fetch; tokens signed with a key the gateway has need no fetch and verify as before. Once the host answers again, the
 * probe after {@code delay} closes the breaker and the new key is fetched. Tenant {@code globex}'s JWKS is behind a
 * {@link TcpRelay} of its own; a fetch is due at most once a minute per tenant, so the test moves the gateway's clock
 * a minute on before each request that should fetch.
 */
@QuarkusTest
@TestProfile(JwksCircuitBreakerTest.RelayedJwks.class)
class JwksCircuitBreakerTest {

    public static class RelayedJwks implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SandboxResource.class, Map.of("tls", "true", "relay", "jwks:globex")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // a delay the refused requests below fit in easily on a loaded machine (they take milliseconds)
            return Map.of("gateway.circuit-breaker.failure-threshold", "3", "gateway.circuit-breaker.delay", "PT5S");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final long CONNECT_TIMEOUT_MILLIS = 2000; // SandboxResource's gateway.connect-timeout
    private static final Duration REFETCH_DUE = TenantKeys.MIN_REFETCH_INTERVAL.plusSeconds(1);

    @InjectSandbox
    DamoovSandbox sandbox;

    @InjectSandbox
    Relays relays;

    @Inject
    TestClock clock;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldRefuseAnUnknownKidAtOnceWhileTheJwksHostsBreakerIsOpenAndKeepVerifyingKnownKeys() {
        // Given: the gateway has globex's current key (one fetch), and a token signed with it that it has not seen
        DemoIdentityProvider idp = sandbox.idp("globex");
        as(token(idp)).get("/me").then().statusCode(200);
        String knownKey = token(idp);
        assertThat(circuitOpen()).isZero();
        TcpRelay relay = relays.of("jwks:globex");
        int fetches = idp.jwksCalls();
        relay.silence();
        try {
            // and the identity provider rotated its key: a token with the new kid needs a fetch
            idp.rotateKey();

            // When: three requests with the new kid, each due a fetch, each waiting the connect timeout
            for (int i = 0; i < 3; i++) {
                clock.advance(REFETCH_DUE);
                long started = System.nanoTime();
                unauthorized(as(token(idp)).get("/me"));
                assertThat(millisSince(started)).isGreaterThanOrEqualTo(CONNECT_TIMEOUT_MILLIS - 200);
            }
            int attempts = relay.accepted();
            assertThat(attempts).isBetween(3, 4);
            await().atMost(Duration.ofSeconds(5)).until(() -> circuitOpen() == 1);

            // Then: a fetch due now makes no connection attempt: the unknown kid is 401 at once
            for (int i = 0; i < 5; i++) {
                clock.advance(REFETCH_DUE);
                long started = System.nanoTime();
                Response r = as(token(idp)).get("/me");
                long took = millisSince(started);
                unauthorized(r);
                assertThat(took).as("request %d took %d ms", i, took).isLessThan(CONNECT_TIMEOUT_MILLIS / 2);
            }
            assertThat(relay.accepted()).isEqualTo(attempts);
            assertThat(circuitOpen()).isEqualTo(1);
            // a token signed with the key the gateway has needs no fetch: verified, the user enrolled
            as(knownKey).get("/me").then().statusCode(200).body("tenant", equalTo("globex"));
            // the gateway stays ready, the Damoov hosts' breakers are closed, the JWKS host got only handshakes
            RestAssured.given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
            assertThat(sample("gateway_upstream_circuit_open{upstream=\"user\"}")).isZero();
            assertThat(idp.jwksCalls()).isEqualTo(fetches);
            assertThat(relay.silencedBytes()).doesNotContain("GET ");
        } finally {
            relay.forward();
        }

        // When the host is back: after the delay the next due fetch is the probe; it gets the new key and closes the
        // breaker
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            clock.advance(REFETCH_DUE);
            return as(token(idp)).get("/me").statusCode() == 200;
        });
        assertThat(circuitOpen()).isZero();
        assertThat(idp.jwksCalls()).isEqualTo(fetches + 1);
        as(token(idp)).get("/me").then().statusCode(200);
    }

    private static void unauthorized(Response r) {
        r.then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:unauthorized"));
    }

    private double circuitOpen() {
        return sample("gateway_upstream_circuit_open{upstream=\"jwks:globex\"}");
    }

    private double sample(String series) {
        return RestAssured.given().get(metrics).asString().lines().filter(l -> l.startsWith(series + " "))
                .findFirst().map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(-1.0);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String token(DemoIdentityProvider idp) {
        return idp.mint("user-" + UUID.randomUUID(), List.of("driver"), Duration.ofHours(1));
    }

    private static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }
}
