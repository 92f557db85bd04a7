package io.damoov.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class TokenLifecycleTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    @Test
    void shouldRefreshOnceAndReplayEveryRequestWhenManyCallersHitAnExpiredToken() throws Exception {
        // Given: an enrolled user whose Damoov token has just expired, and a slow token endpoint
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);
        as(token).get(STATS).then().statusCode(200);
        sandbox.expireAllTokens();
        sandbox.settings().setTokenLatency(Duration.ofMillis(500));
        int refreshesBefore = sandbox.calls("refresh");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            // When: 50 concurrent POSTs with distinct bodies
            List<CompletableFuture<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String body = "{\"n\":" + i + ",\"StartDate\":\"2026-01-01\"}";
                calls.add(CompletableFuture.supplyAsync(
                        () -> as(token).contentType("application/json").body(body).post("/api/trips/get/v1"), pool));
            }
            List<Response> responses = calls.stream().map(CompletableFuture::join).toList();

            // Then: all succeed, one refresh upstream, every body replayed byte for byte
            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(sandbox.calls("refresh") - refreshesBefore).isEqualTo(1);
            assertThat(sandbox.calls("login")).isZero();
            List<String> bodies = sandbox.requests("data").stream()
                    .filter(r -> r.path().toLowerCase().startsWith("/api/trips/get/v1")
                            && deviceToken.equals(r.identity()))
                    .map(r -> r.body()).toList();
            for (int i = 0; i < 50; i++) {
                assertThat(bodies).contains("{\"n\":" + i + ",\"StartDate\":\"2026-01-01\"}");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldLogInWhenTheRefreshTokenIsRefused() {
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();

        as(token).get(STATS).then().statusCode(200);

        assertThat(sandbox.callsBy("login", deviceToken)).isEqualTo(1);
        assertThat(sandbox.callsBy("refresh", deviceToken)).isEqualTo(1);
    }

    @Test
    void shouldAnswer502AndNever401WhenDamoovKeepsRefusingTheCredential() {
        String token = userToken("acme", newSubject());
        enroll(token);
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        sandbox.failNext("login", 401, 1);

        as(token).get(STATS).then().statusCode(502)
                .body("type", equalTo("urn:damoov-gateway:problem:upstream-credentials"));
    }

    @Test
    void shouldRefreshAheadOfExpiryWithoutA401AtDamoov() {
        String token = userToken("acme", newSubject());
        enroll(token);
        as(token).get(STATS).then().statusCode(200);
        int unauthorized = sandbox.calls("unauthorized");
        int refreshes = sandbox.calls("refresh");

        // inside the refresh skew (5 minutes before expiry of a 5-day token)
        clock.advance(Duration.ofDays(5).minusMinutes(2));
        as(token).get(STATS).then().statusCode(200);

        assertThat(sandbox.calls("unauthorized")).isEqualTo(unauthorized);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> sandbox.calls("refresh") == refreshes + 1);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheLoginBudgetIsSpentAndNotCallLogin() {
        // Given: a user whose refresh token never works, so every renewal is a login
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);
        sandbox.settings().setLoginLimit(1000);
        for (int i = 0; i < 5; i++) {
            sandbox.expireAllTokens();
            sandbox.breakRefreshTokens();
            as(token).get(STATS).then().statusCode(200);
        }
        assertThat(sandbox.callsBy("login", deviceToken)).isEqualTo(5);

        // When: the sixth renewal within the hour
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        Response r = as(token).get(STATS);

        // Then
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.jsonPath().getString("type")).isEqualTo("urn:damoov-gateway:problem:login-budget-exhausted");
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(sandbox.callsBy("login", deviceToken)).isEqualTo(5);

        // and an hour later a login is allowed again
        clock.advance(Duration.ofMinutes(61));
        sandbox.settings().setClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(61)));
        as(token).get(STATS).then().statusCode(200);
        assertThat(sandbox.callsBy("login", deviceToken)).isEqualTo(6);
    }

    @Test
    void shouldStopLoggingInWhenDamoovAnswers429() {
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        sandbox.failNext("login", 429, 1);

        Response first = as(token).get(STATS);
        Response second = as(token).get(STATS);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.jsonPath().getString("type")).isEqualTo("urn:damoov-gateway:problem:upstream-throttled");
        assertThat(first.header("Retry-After")).isNotNull();
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(sandbox.callsBy("login", deviceToken)).isEqualTo(1);
    }

    @Test
    void shouldNeverExceedFiveLoginsInAnyHourOverADayOfUnusableRefreshTokens() {
        // Given: a user whose refresh tokens never work, and a sandbox that would allow any number of logins
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);
        sandbox.settings().setLoginLimit(100_000);
        java.time.Instant start = java.time.Instant.now();
        List<java.time.Instant> logins = new ArrayList<>();
        int throttled = 0;

        // When: every 5 simulated minutes for 24 hours, the token dies and the app calls
        for (int step = 0; step < 24 * 12; step++) {
            Duration offset = Duration.ofMinutes(5L * step);
            clock.reset();
            clock.advance(offset);
            sandbox.settings().setClock(java.time.Clock.offset(java.time.Clock.systemUTC(), offset));
            sandbox.expireAllTokens();
            sandbox.breakRefreshTokens();
            int before = sandbox.callsBy("login", deviceToken);
            Response r = as(token).get(STATS);
            if (sandbox.callsBy("login", deviceToken) > before) {
                logins.add(start.plus(offset));
            }
            if (r.statusCode() == 503) {
                throttled++;
                assertThat(Long.parseLong(r.header("Retry-After"))).isPositive();
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }

        // Then: no hour ever saw more than 5 logins, the budget was used, and the app got 503s meanwhile
        for (java.time.Instant from : logins) {
            long inHour = logins.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plus(Duration.ofHours(1))))
                    .count();
            assertThat(inHour).isLessThanOrEqualTo(5);
        }
        assertThat(logins).hasSizeGreaterThanOrEqualTo(100);
        assertThat(throttled).isPositive();
    }

    @Test
    void shouldBackOffAfterARefreshThatFailsWith5xxAndRecoverWhenTheBackOffEnds() {
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);

        // Given: an expired token and a refresh answered 503 once (Damoov's state after it is unknown: no retry)
        sandbox.expireAllTokens();
        sandbox.failNext("refresh", 503, 1);

        // When / Then: 503 with Retry-After, no login, and no second refresh during the back-off
        as(token).get(STATS).then().statusCode(503)
                .body("type", equalTo("urn:damoov-gateway:problem:refresh-deferred"))
                .header("Retry-After", equalTo("1"));
        as(token).get(STATS).then().statusCode(503);
        assertThat(sandbox.callsBy("refresh", deviceToken)).isEqualTo(1);
        assertThat(sandbox.callsBy("login", deviceToken)).isZero();

        // When: the back-off has ended
        clock.advance(Duration.ofSeconds(2));

        // Then: the next call refreshes and succeeds, still without a login
        as(token).get(STATS).then().statusCode(200);
        assertThat(sandbox.callsBy("refresh", deviceToken)).isEqualTo(2);
        assertThat(sandbox.callsBy("login", deviceToken)).isZero();
    }
}
