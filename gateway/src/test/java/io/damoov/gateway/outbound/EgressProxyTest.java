package io.damoov.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EgressProxyTest {

    @Test
    void shouldParseCredentialsAndNeverShowThem() {
        EgressProxy p = EgressProxy.parse("http://gw%40corp:s3cr%3At@proxy.internal:3128");
        assertThat(p.host()).isEqualTo("proxy.internal");
        assertThat(p.port()).isEqualTo(3128);
        assertThat(p.user()).isEqualTo("gw@corp");
        assertThat(p.password()).isEqualTo("s3cr:t");
        assertThat(p.toString()).isEqualTo("http://***@proxy.internal:3128").doesNotContain("s3cr");
        assertThat(p.options().getUsername()).isEqualTo("gw@corp");
    }

    @Test
    void shouldParseAProxyWithoutCredentials() {
        EgressProxy p = EgressProxy.parse("http://10.0.0.1:8888");
        assertThat(p.masked()).isEqualTo("http://10.0.0.1:8888");
        assertThat(p.options().getUsername()).isNull();
    }
}
