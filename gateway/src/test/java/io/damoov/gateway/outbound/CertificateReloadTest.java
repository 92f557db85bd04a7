package io.damoov.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.sandbox.SandboxPki;
import io.damoov.gateway.support.InjectSandbox;
import io.damoov.gateway.support.SandboxResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Certificate reloads of the TLS registry reach the clients already built: the sandbox renews its certificate from a
 * CA the gateway does not trust, so data calls and the auth calls fail verification; once the trust file of
 * {@code quarkus.tls.damoov} is replaced, the periodic reload ({@code reload-period=1s}) brings the new CA to the
 * data client, the auth client and the JWKS clients, and calls pass again, without a restart. Host names are still
 * verified after the reload.
 */
@QuarkusTest
@TestProfile(CertificateReloadTest.Reloading.class)
class CertificateReloadTest {

    public static class Reloading implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SandboxResource.class, Map.of("tls", "true")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // the failures below are on purpose: they should not open the breaker
            return Map.of("quarkus.tls.damoov.reload-period", "1s", "gateway.circuit-breaker.failure-threshold",
                    "100");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final String STATS = "/api/indicators/v3/Statistics";

    @InjectSandbox
    DamoovSandbox sandbox;

    @Test
    void shouldTrustANewCaOnceTheTrustFileIsReplacedAndReloadedWithoutARestart() throws Exception {
        // Given: an enrolled user whose calls pass
        String user = token();
        as(user).get("/me").then().statusCode(200);
        as(user).get(STATS).then().statusCode(200);

        // When: the sandbox renews its certificate from another CA (and closes its connections)
        SandboxPki next = SandboxPki.create(Path.of("target/test-pki/" + UUID.randomUUID()), "next");
        sandbox.switchCertificate(next.issue("server", "dns:localhost", "ip:127.0.0.1"));
        // and the gateway's clients have seen their pooled connections close: a data call racing the close is sent
        // again on a new connection (ClosedConnectionTest), but an auth call (a POST) is not
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.openTlsConnections() == 0);
        Thread.sleep(300);

        // Then: the data calls and the auth calls do not trust it, and send nothing
        int connections = sandbox.tlsConnections();
        as(user).get(STATS).then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:upstream-certificate-untrusted"));
        as(token()).get("/me").then().statusCode(502)
                .body("type", equalTo("urn:damoov-gateway:problem:upstream-certificate-untrusted"));
        Thread.sleep(2500); // two periodic reloads of the unchanged trust file change nothing
        as(user).get(STATS).then().statusCode(502);
        assertThat(sandbox.tlsConnections()).isEqualTo(connections);

        // When: the trust file is replaced by one that trusts the new CA
        Path trust = Path.of(ConfigProvider.getConfig().getValue("quarkus.tls.damoov.trust-store.p12.path",
                String.class));
        Path staged = trust.resolveSibling(trust.getFileName() + ".new");
        Files.copy(next.trustStore(), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, trust, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        // Then: within a few reload periods, data calls, a registration and a refresh pass again
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> as(user).get(STATS).statusCode() == 200);
        as(user).get("/leaderboard/v1/Leaderboard").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> as(token()).get("/me").statusCode() == 200);
        int refreshes = sandbox.calls("refresh");
        sandbox.expireAllTokens();
        as(user).get(STATS).then().statusCode(200);
        assertThat(sandbox.calls("refresh")).isGreaterThan(refreshes);

        // and a certificate of the new CA for another host name is still refused
        DamoovSandbox wrongHost = sandbox.peer("wrong-host");
        wrongHost.switchCertificate(next.issue("wrong", "dns:wrong.example"));
        wrongHost.reset();
        as(user).get("/mobilesdk/mobilesdk/stage/v1/anything").then().statusCode(502)
                .body("type", equalTo("urn:damoov-gateway:problem:upstream-host-mismatch"));
        assertThat(wrongHost.calls("unmatched")).isZero();
    }

    private String token() {
        return sandbox.idp("acme").mint("user-" + UUID.randomUUID(), List.of("driver"), Duration.ofHours(1));
    }

    private static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }
}
