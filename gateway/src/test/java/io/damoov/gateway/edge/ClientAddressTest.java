package io.damoov.gateway.edge;

import static io.damoov.gateway.support.Operator.operator;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The audit's {@code clientIp} is the peer's address: here the peer (the test, 127.0.0.1) is not a trusted proxy
 * (the tests trust only 192.0.2.1), so a forged {@code X-Forwarded-For} is ignored.
 */
@QuarkusTest
class ClientAddressTest extends GatewayTest {

    @Test
    void shouldIgnoreXForwardedForFromAnUntrustedPeer() {
        assertThat(clientIpAudited("203.0.113.7")).isEqualTo("127.0.0.1");
    }

    /** Sends a refused request with a forged X-Forwarded-For and returns the clientIp of its audit record. */
    static String clientIpAudited(String forwardedFor) {
        String since = Instant.now().minusSeconds(5).toString();
        String requestId = "xff-" + UUID.randomUUID();
        RestAssured.given().header("X-Request-Id", requestId).header("X-Forwarded-For", forwardedFor)
                .header("X-Real-IP", forwardedFor).header("Forwarded", "for=" + forwardedFor)
                .get("/api/indicators/v3/Statistics").then().statusCode(401);
        io.quarkus.arc.Arc.container().instance(io.damoov.gateway.audit.AuditLog.class).get().flush();
        List<Map<String, Object>> denials = operator().queryParam("action", "deny").queryParam("since", since)
                .queryParam("limit", 1000).get("/admin/v1/audit").then().statusCode(200).extract().jsonPath()
                .getList("items");
        return denials.stream().filter(r -> requestId.equals(r.get("requestId"))).map(r -> (String) r.get("clientIp"))
                .findFirst().orElseThrow(() -> new AssertionError("no audit record for " + requestId));
    }
}
