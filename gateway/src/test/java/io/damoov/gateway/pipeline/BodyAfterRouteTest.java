package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The body is buffered only once the caller is authenticated and the request routed: an unroutable or denied
 * request is answered for what it is, never 413, whatever body it carries (docs/client-api.md, body limit).
 */
@QuarkusTest
class BodyAfterRouteTest extends GatewayTest {

    @Test
    void shouldAnswerUnroutableAndDeniedRequestsWithoutReadingTheirBody() {
        String token = userToken("acme", newSubject());
        enroll(token);
        byte[] big = new byte[70 * 1024];
        Arrays.fill(big, (byte) 'a');

        // streamed (chunked, no Content-Length) and declared bodies over the 64 KiB test limit
        as(token).contentType("application/json").body(new ByteArrayInputStream(big)).post("/api/nowhere/at/all")
                .then().statusCode(404).body("type", equalTo("urn:damoov-gateway:problem:not-found"));
        as(token).contentType("application/json").body(big).post("/user/v1/Auth/Login").then().statusCode(403)
                .body("type", equalTo("urn:damoov-gateway:problem:forbidden"));
        // the same body on a real route is still too large, and the connection stays usable
        as(token).contentType("application/json").body(big).post("/carservice/v1/Vehicles").then().statusCode(413);
        as(token).get("/api/indicators/v3/Statistics").then().statusCode(200);
        assertThat(sandbox.calls("data")).isEqualTo(1);
    }
}
