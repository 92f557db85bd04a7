package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;

class HeadersTest {

    @Test
    void shouldDropCredentialsAndHopByHopHeadersWhateverTheirCase() {
        MultiMap client = MultiMap.caseInsensitiveMultiMap().add("AUTHORIZATION", "Bearer client-jwt")
                .add("devicetoken", "spoofed").add("InstanceKey", "evil").add("Cookie", "a=b").add("Host", "x")
                .add("Transfer-Encoding", "chunked").add("Content-Type", "application/json")
                .add("Accept", "a/b").add("accept", "c/d").add("X-Custom", "dropped").add("X-Extra", "kept")
                .add("X_Extra", "dropped").add("If-None-Match", "\"e\"").add("X-Request-Id", "spoofed");
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "rid");

        Headers.allowing(java.util.List.of("X-Extra", "X_Extra", "Cookie")).forwardRequest(client, upstream);

        assertThat(upstream.names()).containsExactlyInAnyOrder("X-Request-Id", "Content-Type", "Accept", "X-Extra",
                "If-None-Match");
        assertThat(upstream.getAll("accept")).containsExactly("a/b", "c/d");
        assertThat(upstream.getAll("X-Request-Id")).containsExactly("rid");
        assertThat(Headers.refused(java.util.List.of("X-Ok", "X_Bad", "InstanceKey", "Connection"))).hasSize(3);
    }

    @Test
    void shouldKeepWhatTheGatewaySetItselfAndPassEveryValueOfAnAllowedHeader() {
        MultiMap client = MultiMap.caseInsensitiveMultiMap().add("content-type", "text/plain")
                .add("Accept-Language", "de").add("accept-language", "en").add("Accept", "a/b");
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");

        Headers.allowing(java.util.List.of()).forwardRequest(client, upstream);

        assertThat(upstream.getAll("Content-Type")).containsExactly("application/json");
        assertThat(upstream.getAll("Accept-Language")).containsExactly("de", "en");
        assertThat(upstream.getAll("Accept")).containsExactly("a/b");
    }

    @Test
    void shouldDropWhatConnectionNamesButNotForKeepAliveOrClose() {
        MultiMap damoov = MultiMap.caseInsensitiveMultiMap().add("Connection", "keep-alive")
                .add("Keep-Alive", "timeout=5").add("Content-Type", "application/json").add("Set-Cookie", "s=1")
                .add("WWW-Authenticate", "Bearer").add("x-request-id", "theirs").add("X-Trace", "t");
        MultiMap client = MultiMap.caseInsensitiveMultiMap();
        Headers.forwardResponse(damoov, client);
        assertThat(client.names()).containsExactlyInAnyOrder("Content-Type", "X-Trace");

        MultiMap named = MultiMap.caseInsensitiveMultiMap().add("Connection", "close").add("connection", "X-Hop, Foo")
                .add("x-hop", "1").add("FOO", "2").add("X-Other", "3");
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        Headers.forwardResponse(named, out);
        assertThat(out.names()).containsExactly("X-Other");
    }

    @Test
    void shouldDropDamoovsCredentialsFromTheClientsMapTheHttpClientGives() {
        // the HTTP client hands Damoov's headers over as Netty's own map behind an adaptor, not as a Vert.x map
        DefaultHttpHeaders netty = new DefaultHttpHeaders();
        netty.add("connection", "keep-alive").add("DeviceToken", "theirs").add("set-cookie", "s=1")
                .add("Content-Type", "application/json").add("TRANSFER-ENCODING", "chunked").add("X-Trace", "t");
        MultiMap client = MultiMap.caseInsensitiveMultiMap();
        Headers.forwardResponse(new HeadersAdaptor(netty), client);
        assertThat(client.names()).containsExactlyInAnyOrder("Content-Type", "X-Trace");
    }

    @Test
    void shouldMatchHeaderNamesIgnoringCaseOnly() {
        HeaderNames names = HeaderNames.of(java.util.List.of("accept", "Content-Type", "te", "ACCEPT"));
        assertThat(names.contains("Accept")).isTrue();
        assertThat(names.contains("CONTENT-TYPE")).isTrue();
        assertThat(names.contains(io.netty.util.AsciiString.of("tE"))).isTrue();
        assertThat(names.contains("accepts")).isFalse();
        assertThat(names.contains("accexx")).isFalse();
        assertThat(names.contains("content_type")).isFalse();
        assertThat(names.contains("a-very-long-name-longer-than-any-in-the-set")).isFalse();
        assertThat(names.contains("")).isFalse();
    }
}
