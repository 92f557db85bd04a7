package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.RecordedRequest;
import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/** Request headers reach Damoov by allow-list only (docs/routing.md, header hygiene). */
@QuarkusTest
class HeaderAllowListTest extends GatewayTest {

    private static final List<String> HOSTILE = List.of("X-Original-URL", "X-Rewrite-URL",
            "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Real-IP", "True-Client-IP",
            "CF-Connecting-IP", "Forwarded", "Device_Token", "Instance_Key", "User_Device_Token", "X_App_Version",
            "X-Anything-Else");

    @Test
    void shouldForwardOnlyAllowedAndConfiguredHeaders() {
        String token = userToken("acme", newSubject());
        String mine = enroll(token);

        StringBuilder raw = new StringBuilder("GET /leaderboard/v1/Leaderboard/user HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n");
        for (String name : HOSTILE) {
            raw.append(name).append(": /admin/evil\r\n");
        }
        raw.append("Accept: application/json\r\nAccept-Language: de-CH\r\nUser-Agent: acme-app/1.0\r\n"
                + "If-None-Match: \"v1\"\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
                + "X-App-Version: 4.2.0\r\n\r\n");
        assertThat(RawHttp.send(raw.toString()).status()).isEqualTo(200);

        RecordedRequest seen = sandbox.last("data");
        for (String name : HOSTILE) {
            assertThat(seen.headers().get(name)).as(name).isNull();
        }
        assertThat(seen.headers().names()).noneMatch(n -> n.contains("_"));
        assertThat(seen.headers().get("Accept")).isEqualTo("application/json");
        assertThat(seen.headers().get("Accept-Language")).isEqualTo("de-CH");
        assertThat(seen.headers().get("User-Agent")).isEqualTo("acme-app/1.0");
        assertThat(seen.headers().get("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(seen.headers().get("traceparent")).startsWith("00-0af7651916cd43dd");
        assertThat(seen.headers().get("X-App-Version")).isEqualTo("4.2.0");
        assertThat(seen.headers().getAll("DeviceToken")).containsExactly(mine);
    }
}
