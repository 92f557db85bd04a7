package io.damoov.gateway.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.Test;

class TenantKeysTest {

    private static Tenant tenant(String publicKey) {
        return new Tenant("t", "https://id.example", Optional.empty(), Optional.of(publicKey), Optional.empty(),
                "sub", "groups", "manager", true, "i", "k", Optional.empty(), Optional.empty());
    }

    @Test
    void shouldUseAStaticPemKeyWhateverTheKid() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";

        TenantKeys keys = new TenantKeys(tenant(pem), null, Clock.systemUTC());

        assertThat(keys.key("any").result()).isEqualTo(pair.getPublic());
        assertThat(keys.key(null).result()).isEqualTo(pair.getPublic());
    }

    @Test
    void shouldUseAStaticJwkByKid() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) pair.getPublic());
        jwk.setKeyId("k1");

        TenantKeys keys = new TenantKeys(tenant(jwk.toJson()), null, Clock.systemUTC());

        assertThat(keys.key("k1").result()).isEqualTo(pair.getPublic());
        assertThat(keys.key("k2").failed()).isTrue();
    }

    @Test
    void shouldRefuseAKeyThatIsNeitherPemNorJwkNamingTheKey() {
        assertThatThrownBy(() -> new TenantKeys(tenant("not a key"), null, Clock.systemUTC()))
                .hasMessage("gateway.tenants.t.public-key is not a PEM or JWK key");
    }
}
