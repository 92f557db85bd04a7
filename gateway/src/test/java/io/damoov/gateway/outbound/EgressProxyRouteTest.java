package io.damoov.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.support.InjectSandbox;
import io.damoov.gateway.support.LogCapture;
import io.damoov.gateway.support.SandboxResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * With {@code gateway.egress-proxy} set, every outbound call (registration, login, refresh, data, JWKS) goes through
 * the proxy: the Damoov host names resolve only there, and the proxy's tunnels equal the sandbox's connections.
 */
@QuarkusTest
@TestProfile(EgressProxyRouteTest.Proxied.class)
class EgressProxyRouteTest {

    public static class Proxied implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SandboxResource.class, Map.of("proxy", "true")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @InjectSandbox
    DamoovSandbox sandbox;

    private static int[] proxyCounters() {
        int port = ConfigProvider.getConfig().getValue("test.proxy-port", Integer.class);
        String[] parts = RestAssured.given().get("http://127.0.0.1:" + port + "/_proxy/counters").asString()
                .split(" ");
        return new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]) };
    }

    private static String proxyPassword() {
        String url = ConfigProvider.getConfig().getValue("gateway.egress-proxy", String.class);
        return url.substring(url.indexOf(':', 7) + 1, url.indexOf('@'));
    }

    private String token(String... groups) {
        return sandbox.idp("acme").mint("user-" + UUID.randomUUID(), List.of(groups), Duration.ofHours(1));
    }

    @Test
    void shouldSendEveryOutboundCallThroughTheProxy() {
        String user = token("driver");
        String manager = token("driver", "fleet-manager");
        var as = (java.util.function.Function<String, io.restassured.specification.RequestSpecification>) t -> RestAssured
                .given().header("Authorization", "Bearer " + t);

        String deviceToken = as.apply(user).get("/me").then().statusCode(200).extract().path("deviceToken");
        as.apply(user).get("/api/indicators/v3/Statistics").then().statusCode(200);
        as.apply(user).get("/leaderboard/v1/Leaderboard").then().statusCode(200);
        as.apply(manager).get("/api/indicators/admin/v3/Statistics?UserId=" + deviceToken).then().statusCode(200);
        sandbox.expireAllTokens();
        as.apply(user).get("/api/indicators/v3/Statistics").then().statusCode(200);

        assertThat(sandbox.calls("register")).isGreaterThanOrEqualTo(1);
        assertThat(sandbox.calls("refresh")).isGreaterThanOrEqualTo(1);
        // every connection the sandbox accepted came through a tunnel of the proxy, and nothing else reached it
        assertThat(proxyCounters()[0]).isEqualTo(sandbox.tlsConnections()).isPositive();
    }

    @Test
    void shouldAnswer502WhenTheProxyRefusesAndNeverShowItsCredentials() {
        try (LogCapture logs = LogCapture.start()) {
            int refused = proxyCounters()[1];
            Response r = RestAssured.given().header("Authorization", "Bearer " + token("driver"))
                    .get("/carservice/v1/Vehicles");
            r.then().statusCode(502).contentType("application/problem+json")
                    .body("type", equalTo("urn:damoov-gateway:problem:egress-proxy-refused"));
            assertThat(r.header("X-Request-Id")).isNotBlank();
            assertThat(proxyCounters()[1]).isEqualTo(refused + 1);
            assertThat(r.asString()).doesNotContain(proxyPassword());
            assertThat(logs.lines()).noneMatch(l -> l.text().contains(proxyPassword()));
        }
    }
}
