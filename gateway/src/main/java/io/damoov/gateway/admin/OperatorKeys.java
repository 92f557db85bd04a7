package io.damoov.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;

/**
 * Operator keys, configured only as SHA-256 hex hashes ({@code gateway.admin.key-hashes}). A presented key is hashed
 * and compared with every configured hash in constant time, so neither timing nor the number of keys tells anything.
 */
@Singleton
public class OperatorKeys {

    /** Outcome of checking an {@code Authorization} header. */
    public enum Verdict {
        /** No {@code Bearer} credential: 401. */
        MISSING,
        /** A credential that matches no configured hash: 403. */
        INVALID,
        VALID
    }

    private final List<byte[]> hashes;

    public OperatorKeys(GatewayConfig config) {
        this.hashes = config.admin().keyHashes().orElse(List.of()).stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII)).toList();
    }

    public Verdict check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            return Verdict.MISSING;
        }
        byte[] presented = sha256Hex(authorization.substring(7).trim()).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (byte[] hash : hashes) {
            match |= MessageDigest.isEqual(hash, presented);
        }
        return match ? Verdict.VALID : Verdict.INVALID;
    }

    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
