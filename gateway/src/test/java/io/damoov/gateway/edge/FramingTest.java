package io.damoov.gateway.edge;

import static io.damoov.gateway.support.Operator.operator;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Ambiguous framing and oversized heads never reach Damoov, and are answered like every other refusal: problem+json
 * with the request id, an audit record, the connection closed (docs/client-api.md, framing and limits). The cases
 * Netty refuses while decoding reach the gateway's own answer too (edge.MalformedRequests).
 */
@QuarkusTest
class FramingTest extends GatewayTest {

    @Test
    void shouldRefuseAmbiguousFramingWith400ProblemJson() {
        String token = userToken("acme", newSubject());
        enroll(token);
        String head = "POST /carservice/v1/Vehicles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nConnection: close\r\n";
        String body = "{\"a\":1}";
        String chunked = "\r\n\r\n7\r\n" + body + "\r\n0\r\n\r\n";

        Map<String, String> cases = Map.of(
                "CL + TE", "Content-Length: 7\r\nTransfer-Encoding: chunked" + chunked,
                "differing CLs", "Content-Length: 7\r\nContent-Length: 8\r\n\r\n" + body + " ",
                "xchunked", "Transfer-Encoding: xchunked" + chunked,
                "gzip", "Transfer-Encoding: gzip" + chunked,
                "chunked, identity", "Transfer-Encoding: chunked, identity" + chunked,
                "identity", "Transfer-Encoding: identity" + chunked,
                "two TEs", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked" + chunked);
        cases.forEach((name, rest) -> {
            RawHttp.Answer answer = RawHttp.send(head + rest);
            assertThat(answer.status()).as(name).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(name).isEqualTo("application/problem+json");
            assertThat(answer.header("X-Request-Id")).as(name).isNotBlank();
            assertThat(answer.header("Connection")).as(name).isEqualTo("close");
            assertThat(answer.body()).as(name).contains("urn:damoov-gateway:problem:bad-request");
        });
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldRefuseHeadsOver16KiBWith431ProblemJson() {
        String token = userToken("acme", newSubject());
        enroll(token);
        String base = "GET /api/indicators/v3/Statistics HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n";

        RawHttp.Answer answer = RawHttp.send(base + "X-Pad: " + "a".repeat(17 * 1024) + "\r\n\r\n");
        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.header("X-Request-Id")).isNotBlank();
        assertThat(answer.body()).contains("urn:damoov-gateway:problem:request-header-fields-too-large");
        assertThat(RawHttp.send(base + "X-Pad: " + "a".repeat(12 * 1024) + "\r\n\r\n").status()).isEqualTo(200);
        assertThat(sandbox.calls("data")).isEqualTo(1);
    }

    @Test
    void shouldRefuseARequestLineOver4KiBWith414ProblemJson() {
        RawHttp.Answer answer = RawHttp.send("GET /api/indicators/v3/Statistics?q=" + "a".repeat(5 * 1024)
                + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("urn:damoov-gateway:problem:uri-too-long");
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldAuditEachRefusalUnderItsRequestIdWithItsReason() {
        String chunked = "\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        Map<String, String> reasons = Map.of(
                "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "repeated-content-length",
                "Content-Length: 2\r\nTransfer-Encoding: chunked" + chunked, "ambiguous-length",
                "Transfer-Encoding: chunked, identity" + chunked, "bad-transfer-encoding",
                "Transfer-Encoding: gzip" + chunked, "bad-transfer-encoding",
                "X-Pad: " + "a".repeat(17 * 1024) + "\r\n\r\n", "head-too-large");
        Map<String, String> expected = new java.util.HashMap<>();
        reasons.forEach((rest, reason) -> {
            String requestId = "framing-" + UUID.randomUUID();
            RawHttp.Answer answer = RawHttp.send("POST /api/trips/get/v1 HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Request-Id: " + requestId + "\r\nConnection: close\r\n" + rest);
            assertThat(answer.header("X-Request-Id")).isEqualTo(requestId);
            assertThat(answer.body()).contains(requestId);
            expected.put(requestId, reason);
        });

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            auditLog.flush();
            List<Map<String, Object>> items = operator().queryParam("tenant", "unknown").queryParam("action", "deny")
                    .queryParam("limit", 1000).get("/admin/v1/audit").then().statusCode(200).extract().jsonPath()
                    .getList("items");
            Map<String, String> audited = new java.util.HashMap<>();
            items.stream().filter(r -> expected.containsKey(r.get("requestId")))
                    .forEach(r -> audited.put((String) r.get("requestId"), r.get("reason") + ""));
            assertThat(audited).isEqualTo(expected);
        });
        assertThat(sandbox.calls("data")).isZero();
    }
}
