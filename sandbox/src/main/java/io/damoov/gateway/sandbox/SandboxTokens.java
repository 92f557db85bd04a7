package io.damoov.gateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.JsonObject;

/**
 * Damoov access tokens (HS256 JWTs signed with a per-sandbox secret) and opaque refresh tokens, with a server-side
 * registry so that expiry, rotation and breaking are exact (docs/damoov-api.md §3.3, §3.7).
 */
final class SandboxTokens {

    static final String USER = "user";
    static final String ADMIN = "admin";

    /** ASP.NET's wording: {@code The token expired at '06/16/2026 10:00:00'}. */
    private static final DateTimeFormatter EXPIRED_AT = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    /** Who a token belongs to. identity = DeviceToken for users, e-mail for admins. */
    record Principal(String kind, String identity, String instanceId, String deviceToken) {
        boolean isUser() {
            return USER.equals(kind);
        }
    }

    record Issued(Principal principal, String accessToken, long expiresIn, String refreshToken) {
        JsonObject toResult() {
            JsonObject result = new JsonObject();
            if (principal.isUser()) {
                result.put("DeviceToken", principal.deviceToken());
            }
            result.put("AccessToken", new JsonObject().put("Token", accessToken).put("ExpiresIn", expiresIn));
            result.put("RefreshToken", refreshToken);
            return result;
        }
    }

    enum Status {
        OK,
        MISSING,
        INVALID,
        EXPIRED
    }

    record Check(Status status, Principal principal, Instant expiredAt) {
        String description() {
            return status == Status.EXPIRED ? "The token expired at '" + EXPIRED_AT.format(expiredAt) + "'"
                    : "invalid token";
        }
    }

    private static final class AccessEntry {
        final Principal principal;
        volatile Instant expiresAt;
        volatile boolean revoked;

        AccessEntry(Principal principal, Instant expiresAt) {
            this.principal = principal;
            this.expiresAt = expiresAt;
        }
    }

    private static final class RefreshEntry {
        final Principal principal;
        final String pairedJti;
        final Instant expiresAt;
        final AtomicBoolean used = new AtomicBoolean();
        volatile boolean broken;

        RefreshEntry(Principal principal, String pairedJti, Instant expiresAt) {
            this.principal = principal;
            this.pairedJti = pairedJti;
            this.expiresAt = expiresAt;
        }
    }

    private final SandboxSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final byte[] secret = new byte[32];
    private final Map<String, AccessEntry> access = new ConcurrentHashMap<>();
    private final Map<String, RefreshEntry> refresh = new ConcurrentHashMap<>();

    SandboxTokens(SandboxSettings settings) {
        this.settings = settings;
        random.nextBytes(secret);
    }

    /** Issues an access token (and a refresh token when asked) for the principal. */
    Issued issue(Principal principal, Duration lifetime, boolean withRefresh) {
        Instant now = settings.getClock().instant();
        Instant exp = now.plus(lifetime);
        String jti = UUID.randomUUID().toString();
        JsonObject claims = new JsonObject()
                .put("sub", principal.identity())
                .put("kind", principal.kind())
                .put("InstanceId", principal.instanceId());
        if (principal.isUser()) {
            claims.put("DeviceToken", principal.deviceToken());
        }
        claims.put("jti", jti)
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", exp.getEpochSecond())
                .put("iss", "damoov-sandbox");
        String payload = B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        String signingInput = HEADER + "." + payload;
        String token = signingInput + "." + B64.encodeToString(sign(signingInput));
        access.put(jti, new AccessEntry(principal, exp));
        String refreshToken = null;
        if (withRefresh) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            refreshToken = B64.encodeToString(bytes);
            refresh.put(refreshToken,
                    new RefreshEntry(principal, jti, now.plus(settings.getRefreshTokenLifetime())));
        }
        return new Issued(principal, token, lifetime.toSeconds(), refreshToken);
    }

    /** Checks an {@code Authorization} header value. */
    Check checkHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Check(Status.MISSING, null, null);
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Check(Status.INVALID, null, null);
        }
        return check(value.substring(7).trim());
    }

    /** Checks a bare access token: signature, registry (revoked?) and expiry. */
    Check check(String token) {
        String jti = verifiedJti(token);
        AccessEntry entry = jti == null ? null : access.get(jti);
        if (entry == null) {
            return new Check(Status.INVALID, null, null);
        }
        if (entry.revoked) {
            return new Check(Status.INVALID, entry.principal, null);
        }
        Instant exp = entry.expiresAt;
        if (!settings.getClock().instant().isBefore(exp)) {
            return new Check(Status.EXPIRED, entry.principal, exp);
        }
        return new Check(Status.OK, entry.principal, null);
    }

    /** Owner of a refresh token, whatever its state; null if unknown. */
    Principal refreshOwner(String refreshToken) {
        RefreshEntry entry = refreshToken == null ? null : refresh.get(refreshToken);
        return entry == null ? null : entry.principal;
    }

    /**
     * Exchanges a refresh token and the access token it was issued with for a new pair; null when the refresh
     * token is unknown, used (with rotation), broken or expired, or the access token is not its partner.
     */
    Issued refresh(String accessToken, String refreshToken) {
        RefreshEntry entry = refreshToken == null ? null : refresh.get(refreshToken);
        if (entry == null || entry.broken || entry.used.get()) {
            return null;
        }
        if (!settings.getClock().instant().isBefore(entry.expiresAt)) {
            return null;
        }
        String jti = verifiedJti(accessToken);
        if (jti == null || !jti.equals(entry.pairedJti)) {
            return null;
        }
        if (settings.isRotateRefreshTokens()) {
            if (!entry.used.compareAndSet(false, true)) {
                return null;
            }
            AccessEntry old = access.get(jti);
            if (old != null && settings.isRevokeAccessTokenOnRefresh()) {
                old.revoked = true;
            }
        }
        Principal p = entry.principal;
        Duration lifetime = p.isUser() ? settings.getUserTokenLifetime() : settings.getAdminTokenLifetime();
        return issue(p, lifetime, true);
    }

    /** Every access token issued so far is expired from now on. */
    void expireAll() {
        Instant now = settings.getClock().instant();
        for (AccessEntry e : access.values()) {
            if (e.expiresAt.isAfter(now)) {
                e.expiresAt = now;
            }
        }
    }

    /** Every refresh token issued so far stops working. */
    void breakAllRefreshTokens() {
        for (RefreshEntry e : refresh.values()) {
            e.broken = true;
        }
    }

    /** jti of a token whose HS256 signature is ours; null otherwise. */
    private String verifiedJti(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !HEADER.equals(parts[0])) {
            return null;
        }
        try {
            byte[] expected = sign(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
                return null;
            }
            JsonObject claims = new JsonObject(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
            return claims.getString("jti");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private byte[] sign(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
