package io.damoov.gateway.token;

import java.time.Instant;

import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.store.StoredToken;

/**
 * A Damoov token the gateway holds, with its audit fingerprint and its {@code Authorization} header value computed
 * once (not per proxied request). Prints no secret.
 */
public record DamoovToken(String accessToken, String refreshToken, Instant expiresAt, String fingerprint,
        String authorization) {

    public static DamoovToken of(StoredToken t) {
        return new DamoovToken(t.accessToken(), t.refreshToken(), t.expiresAt(), Fingerprint.of(t.accessToken()),
                "Bearer " + t.accessToken());
    }

    public boolean validAt(Instant when) {
        return expiresAt.isAfter(when);
    }

    @Override
    public String toString() {
        return "DamoovToken[fingerprint=" + fingerprint + ", expiresAt=" + expiresAt + "]";
    }
}
