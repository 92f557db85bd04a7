package io.damoov.gateway.tenant;

import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * A JWKS document over {@code gateway.limits.max-jwks-size} is not read (docs/configuration.md): the tenant's tokens
 * are 401, and the gateway stays ready. Here the limit is below the size of the sandbox's JWKS.
 */
@QuarkusTest
@TestProfile(JwksSizeLimitTest.TinyJwksLimit.class)
class JwksSizeLimitTest extends GatewayTest {

    public static class TinyJwksLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.limits.max-jwks-size", "64");
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void shouldRefuseTheTenantsTokensAndStayReadyWhenTheJwksIsTooLarge() {
        String token = userToken("acme", newSubject());
        as(token).get("/api/indicators/v3/Statistics").then().statusCode(401)
                .body("type", equalTo("urn:damoov-gateway:problem:unauthorized"));
        RestAssured.given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        org.assertj.core.api.Assertions.assertThat(sandbox.calls("data")).isZero();
    }
}
