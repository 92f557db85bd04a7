package io.damoov.gateway.store;

import java.time.Instant;

/** A Damoov access token, its refresh token and expiry, in clear (the store encrypts them). */
public record StoredToken(String accessToken, String refreshToken, Instant expiresAt) {

    @Override
    public String toString() {
        return "StoredToken[expiresAt=" + expiresAt + "]";
    }
}
