package io.damoov.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.Caches;
import io.damoov.gateway.store.TokenCipher;

/**
 * Stable per-tenant pseudonyms for other users' DeviceTokens in Damoov's answers (docs/routing.md, response
 * hygiene): {@code anon-} and 27 characters of base64url of HMAC-SHA256 of the lower-cased DeviceToken, under a
 * tenant key that is itself HMAC-SHA256 of the tenant id under a key derived from
 * {@code gateway.token-encryption-key}. The same user is the same pseudonym for every caller of a tenant, on every
 * replica and across restarts (while the key stays); tenants cannot match theirs; nothing leads back to the
 * DeviceToken without the key. Dev and test runs without a key use one per process.
 */
@Singleton
public class Pseudonyms {

    public static final String PREFIX = "anon-";
    private static final int CHARS = 27;
    private static final String ALG = "HmacSHA256";
    private static final int RECENT_PER_TENANT = 4096;
    /** The longest value whose pseudonym is kept: a DeviceToken is a UUID (36 characters). */
    private static final int MAX_KEPT_LENGTH = 64;

    private final byte[] root;
    private final Map<String, SecretKeySpec> tenantKeys = new ConcurrentHashMap<>();
    /**
     * The pseudonyms made last, per tenant: the same users come back in answer after answer (a leaderboard), and
     * an HMAC per user per answer is most of the rewrite's cost. Bounded; holds what the mapping cache holds anyway.
     */
    private final Map<String, Cache<String, String>> recent = new ConcurrentHashMap<>();
    /** One {@link Mac} per thread (event loop) and tenant: {@code Mac.getInstance} is a provider lookup per call. */
    private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(java.util.HashMap::new);

    Pseudonyms(GatewayConfig config) {
        byte[] master = config.tokenEncryptionKey().map(Pseudonyms::decode).orElseGet(TokenCipher::generateKey);
        this.root = hmac(new SecretKeySpec(master, ALG), "damoov-gateway/pseudonyms/v1");
    }

    /** A key that is not base64 stops the start (startup.ConfigValidator names it); until then, any key does. */
    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            return TokenCipher.generateKey();
        }
    }

    /**
     * A replacement function for one response of {@code tenantId}, to be applied on the calling thread (it uses the
     * thread's {@link Mac}, which {@code doFinal} resets after each DeviceToken).
     */
    public UnaryOperator<String> forTenant(String tenantId) {
        Mac mac = macs.get().computeIfAbsent(tenantId, t -> mac(tenantKeys.computeIfAbsent(t,
                id -> new SecretKeySpec(hmac(new SecretKeySpec(root, ALG), "tenant:" + id), ALG))));
        Cache<String, String> made = recent.computeIfAbsent(tenantId,
                t -> Caches.onCallerThread().maximumSize(RECENT_PER_TENANT).<String, String> build());
        Function<String, String> make = deviceToken -> {
            byte[] digest = mac.doFinal(deviceToken.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, CHARS);
        };
        // a DeviceToken is a UUID: a longer value (any string under an identifier key) is made, not kept
        return deviceToken -> deviceToken.length() <= MAX_KEPT_LENGTH ? made.get(deviceToken, make)
                : make.apply(deviceToken);
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        return mac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALG);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
