package io.damoov.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A keep-alive connection the upstream drops while a request is on its way (its idle timeout, a load balancer, a
 * renewed certificate) is a race no client can avoid: an idempotent request is sent once more, on a new connection
 * (RFC 9110 §9.2.2), and the caller never sees it; any other request may have been acted on, so it is not sent again
 * and the caller gets 502.
 */
@QuarkusTest
class ClosedConnectionTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics";

    @Test
    void shouldSendAnIdempotentRequestOnceMoreWhenTheUpstreamClosedItsConnectionWithoutAnAnswer() {
        String token = userToken("acme", newSubject());
        enroll(token);
        as(token).get(STATS).then().statusCode(200);
        int before = sandbox.calls("data");

        sandbox.closeNext("data", 1);
        as(token).get(STATS).then().statusCode(200);

        assertThat(sandbox.calls("data")).as("the request, then its second sending").isEqualTo(before + 2);
    }

    @Test
    void shouldSendItOnlyOnceMoreWhenTheSecondConnectionIsClosedToo() {
        String token = userToken("acme", newSubject());
        enroll(token);
        int before = sandbox.calls("data");

        sandbox.closeNext("data", 3);
        as(token).get(STATS).then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:bad-gateway"));

        assertThat(sandbox.calls("data")).isEqualTo(before + 2);
        sandbox.closeNext("data", 0);
    }

    @Test
    void shouldNotSendAPostAgainWhenItsConnectionWasClosedWithoutAnAnswer() {
        String token = userToken("acme", newSubject());
        enroll(token);
        int before = sandbox.calls("data");

        sandbox.closeNext("data", 1);
        as(token).contentType("application/json").body("{}").post("/api/trips/get/v1").then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:bad-gateway"));

        assertThat(sandbox.calls("data")).isEqualTo(before + 1);
    }
}
