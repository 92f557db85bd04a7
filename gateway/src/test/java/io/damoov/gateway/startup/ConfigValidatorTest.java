package io.damoov.gateway.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.outbound.UpstreamTarget;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class ConfigValidatorTest {

    private static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("gateway.upstreams.api", "https://api.telematicssdk.com");
        m.put("gateway.upstreams.user", "https://user.telematicssdk.com");
        m.put("gateway.tenants.acme.issuer", "https://id.acme.example");
        m.put("gateway.tenants.acme.jwks-url", "https://id.acme.example/jwks");
        m.put("gateway.tenants.acme.instance-id", "i");
        m.put("gateway.tenants.acme.instance-key", "secret-instance-key");
        return m;
    }

    private static List<String> problems(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(GatewayConfig.class)
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 100,
                        new io.quarkus.runtime.configuration.MemorySizeConverter())
                .withSources(new PropertiesConfigSource(props, "test", 100)).addDefaultInterceptors().build();
        return ConfigValidator.validate(config.getConfigMapping(GatewayConfig.class), "damoov"::equals);
    }

    @Test
    void shouldNameTheKeyOfAnUnknownTlsConfiguration() {
        Map<String, String> m = valid();
        m.put("gateway.upstream-tls-configuration-name", "nope");
        m.put("gateway.tenants.acme.tls-configuration-name", "missing");
        assertThat(problems(m)).containsExactlyInAnyOrder(
                "gateway.upstream-tls-configuration-name names no quarkus.tls.nope.* configuration",
                "gateway.tenants.acme.tls-configuration-name names no quarkus.tls.missing.* configuration");
        m.put("gateway.upstream-tls-configuration-name", "damoov");
        m.put("gateway.tenants.acme.tls-configuration-name", "damoov");
        assertThat(problems(m)).isEmpty();
    }

    @Test
    void shouldNameEveryBadCircuitBreakerKey() {
        Map<String, String> m = valid();
        m.put("gateway.circuit-breaker.failure-threshold", "0");
        m.put("gateway.circuit-breaker.failure-window", "PT0.5S");
        m.put("gateway.circuit-breaker.delay", "PT0S");
        assertThat(problems(m)).containsExactlyInAnyOrder("gateway.circuit-breaker.failure-threshold must be positive",
                "gateway.circuit-breaker.failure-window must be at least a second",
                "gateway.circuit-breaker.delay must be positive");
        m.put("gateway.circuit-breaker.failure-threshold", "3");
        m.put("gateway.circuit-breaker.failure-window", "PT1S");
        m.put("gateway.circuit-breaker.delay", "PT2S");
        assertThat(problems(m)).isEmpty();
    }

    @Test
    void shouldRejectAMalformedEgressProxyWithoutRepeatingIt() {
        Map<String, String> m = valid();
        m.put("gateway.egress-proxy", "socks5://user:hunter2@proxy:1080");
        assertThat(problems(m)).singleElement().asString().startsWith("gateway.egress-proxy must be")
                .doesNotContain("hunter2");
        m.put("gateway.egress-proxy", "http://user:hunter2@proxy.internal:3128");
        assertThat(problems(m)).isEmpty();
    }

    @Test
    void shouldAcceptAValidConfiguration() {
        assertThat(problems(valid())).isEmpty();
    }

    @Test
    void shouldNameTheKeyWhenATenantHasNoKeysOrBoth() {
        Map<String, String> m = valid();
        m.remove("gateway.tenants.acme.jwks-url");
        assertThat(problems(m)).containsExactly("gateway.tenants.acme.jwks-url or public-key must be set (exactly one)");
    }

    @Test
    void shouldNameBothTenantsWhenIssuersCollide() {
        Map<String, String> m = valid();
        m.put("gateway.tenants.copy.issuer", "https://id.acme.example");
        m.put("gateway.tenants.copy.jwks-url", "https://x.example/jwks");
        m.put("gateway.tenants.copy.instance-id", "i");
        m.put("gateway.tenants.copy.instance-key", "k");
        assertThat(problems(m)).singleElement().asString().contains("issuer duplicates");
    }

    @Test
    void shouldJudgeUpstreamUrlsByTheProxysOwnRule() {
        for (String bad : new String[] { "ftp://nope", "http:///no-host", "not a url", "mailto:ops@acme.example" }) {
            Map<String, String> m = valid();
            m.put("gateway.upstreams.api", bad);
            assertThat(problems(m)).as(bad).containsExactly("gateway.upstreams.api must be an http(s) URL");
            assertThatThrownBy(() -> UpstreamTarget.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String good : new String[] { "HTTPS://api.example", "http://[::1]:8081/api/", "https://x.example/a/b" }) {
            Map<String, String> m = valid();
            m.put("gateway.upstreams.api", good);
            assertThat(problems(m)).as(good).isEmpty();
            assertThat(UpstreamTarget.of(good).host()).as(good).isNotBlank();
        }
    }

    @Test
    void shouldRefuseBadUrlsRoutesBudgetsAndKeysWithoutPrintingSecrets() {
        Map<String, String> m = valid();
        m.put("gateway.upstreams.api", "ftp://nope");
        m.put("gateway.routes[0].upstream", "nowhere");
        m.put("gateway.routes[0].path", "/**");
        m.put("gateway.routes[0].credential", "root");
        m.put("gateway.login-budget", "five");
        m.put("gateway.token-encryption-key", "c2hvcnQ=");
        m.put("gateway.tenants.acme.admin-login", "admin@acme.example");
        List<String> problems = problems(m);
        assertThat(problems).contains("gateway.upstreams.api must be an http(s) URL",
                "gateway.routes[0].upstream 'nowhere' is not in gateway.upstreams",
                "gateway.routes[0].credential must be one of user, admin, device, deny",
                "gateway.token-encryption-key must be a base64 256-bit key",
                "gateway.tenants.acme.admin-login and admin-password must be set together");
        assertThat(problems).anyMatch(p -> p.startsWith("gateway.login-budget"));
        assertThat(String.join("\n", problems)).doesNotContain("secret-instance-key").doesNotContain("c2hvcnQ=");
    }
}
