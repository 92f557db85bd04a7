package io.damoov.gateway.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The {@code dev-tls} profile of application.yaml (scripts/dev-tls.sh, on top of {@code dev}) moves the whole path to
 * TLS: every upstream of {@code dev} and the demo tenant's issuer and JWKS on {@code https://localhost} at the
 * sandbox's port, trusted through a TLS registry entry the profile defines, and the sandbox serving HTTPS with SNI
 * required. An upstream added to {@code dev} only would be called over plain HTTP on a TLS port.
 */
class DevTlsProfileTest {

    @Test
    void shouldPutEveryDevUpstreamAndTheDemoTenantOnTlsWithTheDevCaWhenDevTlsIsApplied() throws IOException {
        JsonNode yaml = new YAMLMapper().readTree(Path.of("src/main/resources/application.yaml").toFile());
        JsonNode dev = yaml.path("%dev");
        JsonNode tls = yaml.path("%dev-tls");
        String origin = "https://localhost:" + dev.at("/sandbox/port").asInt();

        List<String> devUpstreams = names(dev.at("/gateway/upstreams"));
        assertThat(devUpstreams).isNotEmpty();
        assertThat(names(tls.at("/gateway/upstreams"))).containsExactlyInAnyOrderElementsOf(devUpstreams);
        for (String u : devUpstreams) {
            String plain = dev.at("/gateway/upstreams/" + u).asText();
            assertThat(tls.at("/gateway/upstreams/" + u).asText()).as(u)
                    .isEqualTo(plain.replaceFirst("^http://[^/]+", origin));
        }
        JsonNode demo = tls.at("/gateway/tenants/demo");
        assertThat(demo.path("issuer").asText()).isEqualTo(origin + "/idp/demo");
        assertThat(demo.path("jwks-url").asText()).isEqualTo(origin + "/idp/demo/jwks");

        String entry = tls.at("/gateway/upstream-tls-configuration-name").asText();
        assertThat(entry).isNotBlank().isEqualTo(demo.path("tls-configuration-name").asText());
        assertThat(tls.at("/quarkus/tls/" + entry + "/trust-store/p12/path").asText()).endsWith("/dev-trust.p12");
        assertThat(tls.at("/sandbox/tls/key-store").asText()).endsWith("/dev-server.p12");
        assertThat(tls.at("/sandbox/tls/require-sni").asBoolean()).isTrue();
    }

    private static List<String> names(JsonNode map) {
        List<String> names = new ArrayList<>();
        map.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
