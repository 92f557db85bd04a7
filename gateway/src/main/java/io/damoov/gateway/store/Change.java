package io.damoov.gateway.store;

import java.util.Objects;

import io.vertx.core.json.JsonObject;

/**
 * An operator change that every replica's caches must see: tokens revoked, a mapping deleted or replaced, mappings
 * imported. Identities are named by their fingerprint, never by the DeviceToken itself, since a change travels
 * through the store (PostgreSQL {@code NOTIFY}).
 *
 * @param kind {@code tokens} or {@code mappings}
 * @param tenant the tenant
 * @param principal tokens: {@code user} or {@code admin}, null for every principal
 * @param identityFingerprint tokens: the identity's fingerprint, null for every identity
 * @param subject mappings: one subject, null for every subject of the tenant
 */
public record Change(String kind, String tenant, String principal, String identityFingerprint, String subject) {

    public static final String TOKENS = "tokens";
    public static final String MAPPINGS = "mappings";

    public static Change tokens(String tenant, String principal, String identityFingerprint) {
        return new Change(TOKENS, Objects.requireNonNull(tenant), principal, identityFingerprint, null);
    }

    public static Change mappings(String tenant, String subject) {
        return new Change(MAPPINGS, Objects.requireNonNull(tenant), null, null, subject);
    }

    String encode() {
        return new JsonObject().put("k", kind).put("t", tenant).put("p", principal).put("i", identityFingerprint)
                .put("s", subject).encode();
    }

    static Change decode(String payload) {
        JsonObject j = new JsonObject(payload);
        return new Change(j.getString("k"), j.getString("t"), j.getString("p"), j.getString("i"), j.getString("s"));
    }
}
