package io.damoov.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Behind a trusted proxy (here the test's own address) the audit shows the client's address from X-Forwarded-For. */
@QuarkusTest
@TestProfile(TrustedProxyTest.TrustingLocalhost.class)
class TrustedProxyTest extends GatewayTest {

    public static class TrustingLocalhost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @Test
    void shouldTakeTheClientAddressFromATrustedProxy() {
        assertThat(ClientAddressTest.clientIpAudited("203.0.113.7")).isEqualTo("203.0.113.7");
    }
}
