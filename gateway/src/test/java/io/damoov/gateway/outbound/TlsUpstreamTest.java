package io.damoov.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.support.InjectSandbox;
import io.damoov.gateway.support.SandboxResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The whole path over TLS with SNI required, as Cloudflare serves Damoov: the sandbox's certificate is from a private
 * CA that the gateway trusts through the TLS registry entry {@code damoov}; the tenants' JWKS are served over TLS too.
 */
@QuarkusTest
@TestProfile(TlsUpstreamTest.Tls.class)
class TlsUpstreamTest {

    public static class Tls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SandboxResource.class, Map.of("tls", "true")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @InjectSandbox
    DamoovSandbox sandbox;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private double failures(String upstream, String reason) {
        String line = "gateway_upstream_failures_total{reason=\"" + reason + "\",upstream=\"" + upstream + "\"}";
        return RestAssured.given().get(metrics).asString().lines().filter(l -> l.startsWith(line + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(line.length() + 1).trim())).orElse(-1.0);
    }

    private String token(String tenant, String... groups) {
        return sandbox.idp(tenant).mint("user-" + UUID.randomUUID(), List.of(groups), Duration.ofHours(1));
    }

    private static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    @Test
    void shouldServeEnrolmentUserDeviceAdminCallsAndARefreshOverTls() {
        // Given
        assertThat(sandbox.baseUrl()).startsWith("https://localhost:");
        int refusedBefore = sandbox.refusedWithoutSni();
        String user = token("acme", "driver");
        String manager = token("acme", "driver", "fleet-manager");

        // When / Then: enrolment (registration over TLS), a user call, a device call, an admin call
        String deviceToken = as(user).get("/me").then().statusCode(200).extract().path("deviceToken");
        as(user).get("/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31").then().statusCode(200);
        as(user).get("/leaderboard/v1/Leaderboard").then().statusCode(200);
        as(manager).get("/api/indicators/admin/v3/Statistics?UserId=" + deviceToken).then().statusCode(200);

        // refresh after expiry: Damoov's 401, one refresh, the replay
        int refreshes = sandbox.calls("refresh");
        sandbox.expireAllTokens();
        as(user).get("/api/indicators/v3/Statistics").then().statusCode(200);
        assertThat(sandbox.calls("refresh")).isGreaterThan(refreshes);

        // every connection named its server (SNI), and kept-alive connections were reused
        assertThat(sandbox.refusedWithoutSni()).isEqualTo(refusedBefore);
        int connections = sandbox.tlsConnections();
        for (int i = 0; i < 50; i++) {
            as(user).get("/api/indicators/v3/Statistics").then().statusCode(200);
        }
        assertThat(sandbox.tlsConnections() - connections).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldAnswer502AndSendNothingToAListenerWithAnotherCasCertificate() {
        DamoovSandbox foreign = sandbox.peer("foreign-ca");
        foreign.reset();
        double before = failures("carservice", "certificate-untrusted");
        assertThat(before).isNotNegative();
        Response r = as(token("acme", "driver")).get("/carservice/v1/Vehicles");
        r.then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:upstream-certificate-untrusted"));
        assertThat(r.header("X-Request-Id")).isNotBlank();
        assertThat(foreign.tlsConnections()).isZero();
        assertThat(failures("carservice", "certificate-untrusted")).isEqualTo(before + 1);
        assertThat(foreign.calls("vehicles") + foreign.calls("unmatched")).isZero();
        assertThat(r.asString()).doesNotContain(SandboxResource.ACME_INSTANCE_KEY);
    }

    @Test
    void shouldAnswer502AndSendNothingToAListenerWhoseCertificateNamesAnotherHost() {
        DamoovSandbox wrong = sandbox.peer("wrong-host");
        wrong.reset();
        double before = failures("mobilesdk", "host-mismatch");
        Response r = as(token("acme", "driver")).get("/mobilesdk/mobilesdk/stage/v1/anything");
        r.then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:upstream-host-mismatch"));
        assertThat(r.header("X-Request-Id")).isNotBlank();
        assertThat(wrong.tlsConnections()).isZero();
        assertThat(failures("mobilesdk", "host-mismatch")).isEqualTo(before + 1);
        assertThat(wrong.calls("unmatched")).isZero();
    }

    @Test
    void shouldRefuseTokensOfATenantWhoseJwksCertificateIsNotTrustedAndStayReady() {
        as(token("untrusted", "driver")).get("/me").then().statusCode(401).contentType("application/problem+json");
        RestAssured.given().get(ready).then().statusCode(200);
        as(token("acme", "driver")).get("/me").then().statusCode(200);
    }
}
