package io.damoov.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Only Damoov's own "refresh token invalid" answer is worth a login. A 403 or 429 from Cloudflare in front of
 * Damoov, or a 5xx, backs off and answers 503 with Retry-After, spending no login budget, and the next requests do
 * not refresh again before the back-off ends.
 */
@QuarkusTest
class RefreshRefusalTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    @ParameterizedTest
    @ValueSource(ints = { 403, 429, 503 })
    void shouldBackOffWithoutALoginWhenTheRefreshIsBlockedInFrontOfDamoov(int status) {
        // Given: an enrolled user whose Damoov token has expired, and refreshes answered by Cloudflare
        String token = userWithExpiredToken();
        sandbox.settings().setRefreshBlockStatus(status);
        int refreshes = sandbox.calls("refresh");

        // When: the user calls, and calls again at once
        as(token).get(STATS).then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:damoov-gateway:problem:refresh-deferred"));
        as(token).get(STATS).then().statusCode(503).header("Retry-After", notNullValue());

        // Then: one refresh tried, no login
        assertThat(sandbox.calls("refresh") - refreshes).isEqualTo(1);
        assertThat(sandbox.calls("login")).isZero();
    }

    @Test
    void shouldHonourRetryAfterOfARateLimitedRefresh() {
        String token = userWithExpiredToken();
        sandbox.settings().setRefreshBlockStatus(429); // Cloudflare's page says Retry-After: 30

        String retryAfter = as(token).get(STATS).then().statusCode(503).extract().header("Retry-After");

        assertThat(Integer.parseInt(retryAfter)).isBetween(25, 31);
    }

    @Test
    void shouldLogInWhenDamoovSaysTheRefreshTokenIsInvalid() {
        // Given: an enrolled user whose refresh token Damoov no longer accepts
        String token = userWithExpiredToken();
        sandbox.breakRefreshTokens();

        // When / Then: one login repairs it
        int logins = sandbox.calls("login");
        as(token).get(STATS).then().statusCode(200);
        assertThat(sandbox.calls("login") - logins).isEqualTo(1);
    }

    /** An enrolled user whose Damoov token the gateway holds and Damoov has just expired; the client token. */
    private String userWithExpiredToken() {
        String token = userToken("acme", newSubject());
        enroll(token);
        as(token).get(STATS).then().statusCode(200);
        sandbox.expireAllTokens();
        return token;
    }
}
