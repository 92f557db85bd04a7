package io.damoov.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.Caches;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Verifies the caller's bearer token with SmallRye JWT against the tenant whose issuer matches {@code iss}:
 * signature (asymmetric algorithms only; {@code alg: none} and HMAC are refused), {@code exp}, {@code nbf},
 * {@code iss} and, if configured, {@code aud}. A verified token is cached until it expires, so the hot path does
 * no signature check.
 */
@ApplicationScoped
public class ClientAuthenticator {

    /** Longest subject a tenant's user can have (user_mapping.subject). */
    static final int MAX_SUBJECT = 255;

    private static final Set<SignatureAlgorithm> ALLOWED = EnumSet.of(SignatureAlgorithm.RS256,
            SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384,
            SignatureAlgorithm.PS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512,
            SignatureAlgorithm.EDDSA);

    private final Tenants tenants;
    private final Clock clock;
    private final int clockSkewSeconds;
    private final Map<String, TenantKeys> keys = new HashMap<>();
    private final DefaultJWTParser parser = new DefaultJWTParser();
    private final Cache<String, Caller> verified;

    public ClientAuthenticator(Tenants tenants, GatewayConfig config, JwksClients jwks, Clock clock,
            GatewayMetrics metrics) {
        this.tenants = tenants;
        this.clock = clock;
        this.clockSkewSeconds = (int) config.clockSkew().toSeconds();
        for (Tenant t : tenants.all()) {
            keys.put(t.id(), new TenantKeys(t, jwks.forTenant(t.id()), jwks.breakerFor(t.id()), clock,
                    config.limits().maxJwksSize().asLongValue()));
        }
        this.verified = verifiedCache(Caches.mib(config.cache().clientTokensMb()), clock);
        metrics.monitorCache("client-tokens", verified);
    }

    /**
     * Verified callers by the {@code Authorization} value they came with, each until its token expires, bounded by
     * their estimated bytes ({@code gateway.cache.client-tokens-mb}): the header value, the subject, roles and expiry
     * (the tenant is shared).
     */
    public static Cache<String, Caller> verifiedCache(long maxBytes, Clock clock) {
        return Caches.weighed(maxBytes, (String k, Caller c) -> Caches.bytes(k) + 32 + Caches.bytes(c.subject()) + 32
                + 24).expireAfter(new Expiry<String, Caller>() {
                    @Override
                    public long expireAfterCreate(String key, Caller c, long currentTime) {
                        long millis = c.expiresAt().toEpochMilli() - clock.millis();
                        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
                    }

                    @Override
                    public long expireAfterUpdate(String key, Caller c, long currentTime, long currentDuration) {
                        return currentDuration;
                    }

                    @Override
                    public long expireAfterRead(String key, Caller c, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    /** The caller behind an {@code Authorization} header value. Fails with {@link ClientAuthException}. */
    public Future<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.failedFuture(new ClientAuthException(null, "missing-token", "A bearer token is required"));
        }
        // keyed by the header value as sent: a cache hit needs no copy of the token
        Caller cached = verified.getIfPresent(authorization);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            return Future.succeededFuture(cached);
        }
        String token = authorization.substring(7).trim();
        JsonObject header;
        JsonObject claims;
        try {
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            header = decode(parts[0]);
            claims = decode(parts[1]);
        } catch (RuntimeException e) {
            return Future.failedFuture(new ClientAuthException(null, "malformed-token", "The token is not a JWT"));
        }
        String alg = header.getString("alg", "");
        if (alg.isEmpty() || "none".equalsIgnoreCase(alg) || alg.toUpperCase().startsWith("HS")) {
            return Future.failedFuture(new ClientAuthException(null, "bad-algorithm",
                    "The token's signature algorithm is not accepted"));
        }
        Object iss = claims.getValue("iss");
        Tenant tenant = iss instanceof String s ? tenants.byIssuer(s).orElse(null) : null;
        if (tenant == null) {
            return Future.failedFuture(new ClientAuthException(null, "unknown-issuer", "The token's issuer is unknown"));
        }
        return keys.get(tenant.id()).key(header.getString("kid"))
                .map(key -> verify(authorization, token, tenant, key));
    }

    private Caller verify(String authorization, String token, Tenant tenant, java.security.PublicKey key) {
        JWTAuthContextInfo ctx = new JWTAuthContextInfo(key, tenant.issuer());
        ctx.setSignatureAlgorithm(ALLOWED);
        ctx.setClockSkew(clockSkewSeconds);
        ctx.setRequireNamedPrincipal(false);
        tenant.audience().ifPresent(a -> ctx.setExpectedAudience(Set.of(a)));
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token, ctx);
        } catch (ParseException e) {
            throw new ClientAuthException(tenant.id(), "invalid-token",
                    "The token is expired, not yet valid, or its signature, issuer or audience is wrong");
        }
        if (jwt.getClaim("exp") == null) {
            throw new ClientAuthException(tenant.id(), "invalid-token", "The token has no expiry");
        }
        Object subject = jwt.getClaim(tenant.subjectClaim());
        String sub = subject == null ? null : unwrap(subject);
        if (sub == null || sub.isBlank()) {
            throw new ClientAuthException(tenant.id(), "no-subject",
                    "The token has no '" + tenant.subjectClaim() + "' claim");
        }
        if (sub.length() > MAX_SUBJECT) { // the user-mapping key's width: such a user could never be enrolled
            throw new ClientAuthException(tenant.id(), "subject-too-long",
                    "The token's '" + tenant.subjectClaim() + "' claim is longer than " + MAX_SUBJECT + " characters");
        }
        Caller caller = new Caller(tenant, sub, roles(tenant, jwt.getClaim(tenant.rolesClaim())),
                Instant.ofEpochSecond(jwt.getExpirationTime()));
        verified.put(authorization, caller);
        return caller;
    }

    private static Set<String> roles(Tenant tenant, Object claim) {
        if (claim == null) {
            return Set.of();
        }
        boolean manager = false;
        if (claim instanceof Collection<?> values) {
            for (Object v : values) {
                manager |= tenant.managerRole().equals(unwrap(v));
            }
        } else if (claim instanceof jakarta.json.JsonArray array) {
            for (var v : array) {
                manager |= tenant.managerRole().equals(unwrap(v));
            }
        } else {
            for (String v : unwrap(claim).split("[ ,]")) {
                manager |= tenant.managerRole().equals(v);
            }
        }
        return manager ? Set.of(Caller.MANAGER) : Set.of();
    }

    private static String unwrap(Object value) {
        if (value instanceof jakarta.json.JsonString js) {
            return js.getString();
        }
        return String.valueOf(value);
    }

    private static JsonObject decode(String part) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }
}
