package io.damoov.gateway.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;

@QuarkusTest
class ClientAuthTest extends GatewayTest {

    private static final String PATH = "/api/indicators/v3/Statistics";

    @Test
    void shouldRefuseARequestWithoutToken() {
        RestAssured.get(PATH).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:damoov-gateway:problem:unauthorized"));
    }

    @Test
    void shouldRefuseAForgedTokenSignedWithAnotherKey() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String forged = Jwt.issuer(sandbox.idp("acme").issuer()).subject(newSubject()).audience("damoov-gateway")
                .expiresIn(Duration.ofHours(1)).jws().keyId(kidOf(userToken("acme", "x"))).sign(other.getPrivate());
        as(forged).get(PATH).then().statusCode(401).body("status", equalTo(401));
    }

    @Test
    void shouldRefuseAnExpiredToken() {
        String expired = sandbox.idp("acme").mint(Map.of("sub", newSubject(), "aud", "damoov-gateway", "exp",
                Instant.now().minusSeconds(600).getEpochSecond()), Duration.ofHours(1));
        as(expired).get(PATH).then().statusCode(401);
    }

    @Test
    void shouldRefuseATokenOfAnUnknownIssuer() {
        String token = sandbox.idp("stranger").mint(newSubject(), List.of(), Duration.ofHours(1));
        as(token).get(PATH).then().statusCode(401);
    }

    @Test
    void shouldRefuseATokenWithTheWrongAudience() {
        String token = sandbox.idp("acme").mint(Map.of("sub", newSubject(), "aud", "someone-else"),
                Duration.ofHours(1));
        as(token).get(PATH).then().statusCode(401);
    }

    @Test
    void shouldRefuseAlgNoneAndHmacTokens() {
        String valid = userToken("acme", newSubject());
        String[] parts = valid.split("\\.");
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        as(none).get(PATH).then().statusCode(401);
        String hmac = Jwt.issuer(sandbox.idp("acme").issuer()).subject(newSubject()).audience("damoov-gateway")
                .expiresIn(Duration.ofHours(1)).signWithSecret("a-secret-that-is-long-enough-for-hs256-signing!!");
        as(hmac).get(PATH).then().statusCode(401);
    }

    @Test
    void shouldRefuseATokenWhoseSignatureWasTamperedWith() {
        String valid = userToken("acme", newSubject());
        String[] parts = valid.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"", "\"sub\":\"x");
        as(parts[0] + "." + b64(claims) + "." + parts[2]).get(PATH).then().statusCode(401);
    }

    @Test
    void shouldPickUpARotatedKeyAfterTheRefetchIntervalButNotBefore() {
        // Given: the gateway knows the current key
        enroll(sandbox.idp("rotating").mint(newSubject(), List.of(), Duration.ofHours(1)));
        int fetches = sandbox.idp("rotating").jwksCalls();

        // When: the identity provider rotates its key
        sandbox.idp("rotating").rotateKey();
        String rotated = sandbox.idp("rotating").mint(newSubject(), List.of(), Duration.ofHours(1));

        // Then: within a minute of the last fetch, no refetch (rate limit) ...
        as(rotated).get("/me").then().statusCode(401);
        assertThat(sandbox.idp("rotating").jwksCalls()).isEqualTo(fetches);
        // ... and after it, the unknown kid triggers one refetch and the token is accepted
        clock.advance(Duration.ofSeconds(61));
        as(rotated).get("/me").then().statusCode(200);
        assertThat(sandbox.idp("rotating").jwksCalls()).isEqualTo(fetches + 1);
    }

    @Test
    void shouldAcceptAValidTokenAndResolveTheTenantByIssuer() {
        as(userToken("globex", "g-" + newSubject())).get("/me").then().statusCode(200)
                .body("tenant", equalTo("globex"));
    }

    private static String kidOf(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        return new io.vertx.core.json.JsonObject(header).getString("kid");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
