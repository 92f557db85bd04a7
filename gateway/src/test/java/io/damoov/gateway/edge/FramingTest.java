package io.damoov.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/** Ambiguous framing and oversized heads never reach Damoov (docs/client-api.md, framing and limits). */
@QuarkusTest
class FramingTest extends GatewayTest {

    @Test
    void shouldRefuseAmbiguousFramingWith400() {
        String token = userToken("acme", newSubject());
        enroll(token);
        String head = "POST /carservice/v1/Vehicles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nConnection: close\r\n";
        String body = "{\"a\":1}";

        assertThat(RawHttp.send(head + "Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n" + body
                + "\r\n0\r\n\r\n").status()).as("CL + TE").isEqualTo(400);
        assertThat(RawHttp.send(head + "Content-Length: 7\r\nContent-Length: 8\r\n\r\n" + body + " ").status())
                .as("differing CLs").isEqualTo(400);
        // refused by the gateway: problem+json
        for (String te : new String[] { "xchunked", "gzip" }) {
            RawHttp.Answer answer = RawHttp.send(head + "Transfer-Encoding: " + te + "\r\n\r\n7\r\n" + body
                    + "\r\n0\r\n\r\n");
            assertThat(answer.status()).as(te).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(te).isEqualTo("application/problem+json");
            assertThat(answer.header("X-Request-Id")).as(te).isNotBlank();
            assertThat(answer.body()).contains("urn:damoov-gateway:problem:bad-request");
        }
        // refused by Netty or by the gateway, whichever sees it first
        for (String te : new String[] { "chunked, identity", "identity", "chunked\r\nTransfer-Encoding: chunked" }) {
            assertThat(RawHttp.send(head + "Transfer-Encoding: " + te + "\r\n\r\n7\r\n" + body + "\r\n0\r\n\r\n")
                    .status()).as(te).isEqualTo(400);
        }
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldRefuseHeadsOver16KiBWith431() {
        String token = userToken("acme", newSubject());
        enroll(token);
        String base = "GET /api/indicators/v3/Statistics HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n";

        assertThat(RawHttp.send(base + "X-Pad: " + "a".repeat(17 * 1024) + "\r\n\r\n").status()).isEqualTo(431);
        assertThat(RawHttp.send(base + "X-Pad: " + "a".repeat(12 * 1024) + "\r\n\r\n").status()).isEqualTo(200);
        assertThat(sandbox.calls("data")).isEqualTo(1);
    }
}
