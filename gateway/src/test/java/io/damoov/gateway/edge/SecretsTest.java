package io.damoov.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.RecordedRequest;
import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.LogCapture;
import io.damoov.gateway.support.SandboxResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** No secret reaches a client response or the log. */
@QuarkusTest
class SecretsTest extends GatewayTest {

    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void shouldKeepEverySecretOutOfResponsesAndLogs() {
        // Given: traffic through every credential kind, a renewal, a login and a refused login
        String token = userToken("acme", newSubject());
        String manager = managerToken("acme", newSubject());
        String deviceToken = enroll(token);
        List<Response> responses = new java.util.ArrayList<>();
        responses.add(as(token).get("/api/indicators/v3/Statistics"));
        responses.add(as(token).get("/leaderboard/v1/Leaderboard"));
        responses.add(as(manager).get("/api/indicators/admin/v3/Statistics?UserId=" + deviceToken));
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        responses.add(as(token).get("/api/indicators/v3/Statistics"));
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        sandbox.failNext("login", 401, 1);
        responses.add(as(token).get("/api/indicators/v3/Statistics"));
        auditLog.flush();

        // When: we collect every secret the gateway held
        List<String> secrets = new java.util.ArrayList<>(List.of(SandboxResource.ACME_INSTANCE_KEY,
                SandboxResource.ACME_ADMIN_PASSWORD, SandboxResource.TOKEN_KEY));
        for (RecordedRequest r : sandbox.requests("data")) {
            String auth = r.headers().get("Authorization");
            if (auth != null) {
                secrets.add(auth.substring("Bearer ".length()));
            }
        }
        for (RecordedRequest r : sandbox.requests("refresh")) {
            secrets.add(new io.vertx.core.json.JsonObject(r.body()).getString("RefreshToken"));
        }
        assertThat(secrets).hasSizeGreaterThan(5);

        // Then: none appears in a response (headers or body) or a log line
        for (Response r : responses) {
            String all = r.headers().toString() + r.body().asString();
            for (String s : secrets) {
                assertThat(all).doesNotContain(s);
            }
        }
        assertThat(logs.lines()).isNotEmpty();
        for (LogCapture.Line line : logs.lines()) {
            for (String s : secrets) {
                assertThat(line.text()).doesNotContain(s);
            }
        }
    }
}
