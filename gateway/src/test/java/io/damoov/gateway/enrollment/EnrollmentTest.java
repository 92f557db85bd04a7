package io.damoov.gateway.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EnrollmentTest extends GatewayTest {

    @Test
    void shouldEnrollOnFirstCallAndReuseTheMappingAfterwards() {
        // Given
        String subject = newSubject();
        String token = userToken("acme", subject);

        // When
        String deviceToken = as(token).get("/me").then().statusCode(200)
                .body("tenant", equalTo("acme"))
                .body("subject", equalTo(subject))
                .body("enrolledAt", notNullValue())
                .extract().path("deviceToken");
        String again = enroll(token);

        // Then
        assertThat(again).isEqualTo(deviceToken);
        assertThat(sandbox.calls("register")).isEqualTo(1);
        assertThat(sandbox.deviceTokens("acme-instance")).contains(deviceToken);
        assertThat(sandbox.last("register").headers().get("InstanceId")).isEqualTo("acme-instance");
    }

    @Test
    void shouldRegisterExactlyOnceWhenManyFirstCallsArriveTogether() throws Exception {
        // Given
        sandbox.settings().setTokenLatency(Duration.ofMillis(300));
        String token = userToken("acme", newSubject());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            // When
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> enroll(token), pool));
            }
            List<String> tokens = calls.stream().map(CompletableFuture::join).toList();

            // Then
            assertThat(tokens).hasSize(20).containsOnly(tokens.get(0));
            assertThat(sandbox.calls("register")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldAnswerNotEnrolledWhenTheTenantDoesNotEnrollAutomatically() {
        as(userToken("closed", newSubject())).get("/me").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:not-enrolled"));
        assertThat(sandbox.calls("register")).isZero();
    }

    @Test
    void shouldNeedNoLoginForANewUserBecauseRegistrationReturnsTokens() {
        String token = userToken("acme", newSubject());
        enroll(token);
        as(token).get("/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31").then().statusCode(200);
        assertThat(sandbox.calls("login")).isZero();
    }
}
