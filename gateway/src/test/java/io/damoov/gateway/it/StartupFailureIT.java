package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Invalid configuration stops the packaged gateway with a message that names the key, and no secret. */
class StartupFailureIT {

    @Test
    void shouldStopAtStartNamingTheKeyWhenATenantHasNoKeys() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            config.remove("gateway.tenants." + env.tenant + ".jwks-url");

            GatewayProcess.Result r = GatewayProcess.runExpectingFailure(config, env.workDir.resolve("bad-tenant"));

            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).contains("gateway.tenants." + env.tenant + ".jwks-url or public-key")
                    .doesNotContain(ItEnvironment.INSTANCE_KEY).doesNotContain(ItEnvironment.ADMIN_PASSWORD);
        }
    }

    @Test
    void shouldStopAtStartWhenTheTokenEncryptionKeyIsMissingOutsideDevMode() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            config.remove("gateway.token-encryption-key");

            GatewayProcess.Result r = GatewayProcess.runExpectingFailure(config, env.workDir.resolve("no-key"));

            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).contains("gateway.token-encryption-key");
        }
    }

    @Test
    void shouldStopAtStartWhenTwoTenantsShareAnIssuer() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            String p = "gateway.tenants." + env.tenant + ".";
            config.put("gateway.tenants.copy.issuer", config.get(p + "issuer"));
            config.put("gateway.tenants.copy.jwks-url", config.get(p + "jwks-url"));
            config.put("gateway.tenants.copy.instance-id", "x");
            config.put("gateway.tenants.copy.instance-key", "y");

            GatewayProcess.Result r = GatewayProcess.runExpectingFailure(config, env.workDir.resolve("dup"));

            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).containsPattern("gateway\\.tenants\\.\\w+\\.issuer duplicates");
        }
    }
}
