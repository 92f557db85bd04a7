package io.damoov.gateway.sandbox;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A tenant's own identity provider, for client JWTs: RS256 with a 2048-bit key generated at creation, a
 * {@code kid} header and a JWKS that serves only the current key. Uses real time (not the sandbox clock), since
 * the gateway verifies these tokens against real time.
 */
public final class DemoIdentityProvider {

    public static final String AUDIENCE = "damoov-gateway";

    private final String name;
    private final Supplier<String> baseUrl;
    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger jwksCalls = new AtomicInteger();
    private volatile RsaJsonWebKey key;

    DemoIdentityProvider(String name, Supplier<String> baseUrl) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.key = newKey();
    }

    public String name() {
        return name;
    }

    /** {@code <sandbox base URL>/idp/<name>}; the sandbox must have been started. */
    public String issuer() {
        return baseUrl.get() + "/idp/" + name;
    }

    public String jwksUrl() {
        return issuer() + "/jwks";
    }

    /** The kid of the current key. */
    public String keyId() {
        return key.getKeyId();
    }

    /** The current public key. */
    public PublicKey publicKey() {
        return key.getPublicKey();
    }

    /** A token with iss, sub, groups, aud "damoov-gateway", iat, exp, jti. */
    public String mint(String subject, List<String> groups, Duration ttl) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("groups", groups == null ? List.of() : List.copyOf(groups));
        claims.put("aud", AUDIENCE);
        return mint(claims, ttl);
    }

    /** A token with exactly the given claims; iss, iat, exp (now + ttl) and jti are added when absent. */
    public String mint(Map<String, Object> claims, Duration ttl) {
        long now = clock.instant().getEpochSecond();
        JwtClaims jwt = new JwtClaims();
        claims.forEach(jwt::setClaim);
        if (!claims.containsKey("iss")) {
            jwt.setClaim("iss", issuer());
        }
        if (!claims.containsKey("iat")) {
            jwt.setClaim("iat", now);
        }
        if (!claims.containsKey("exp")) {
            jwt.setClaim("exp", now + (ttl == null ? 3600 : ttl.toSeconds()));
        }
        if (!claims.containsKey("jti")) {
            jwt.setClaim("jti", UUID.randomUUID().toString());
        }
        RsaJsonWebKey current = key;
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(current.getPrivateKey());
        jws.setKeyIdHeaderValue(current.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign demo token", e);
        }
    }

    /** New key pair with a new kid; the JWKS serves only the new key from now on. */
    public void rotateKey() {
        key = newKey();
    }

    /** How many times the JWKS was fetched over HTTP. */
    public int jwksCalls() {
        return jwksCalls.get();
    }

    /** The JWKS document (public key only). */
    public String jwks() {
        return new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    String jwksForHttp() {
        jwksCalls.incrementAndGet();
        return jwks();
    }

    private static RsaJsonWebKey newKey() {
        try {
            RsaJsonWebKey jwk = RsaJwkGenerator.generateJwk(2048);
            jwk.setKeyId(UUID.randomUUID().toString());
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            jwk.setUse("sig");
            return jwk;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate RSA key", e);
        }
    }
}
