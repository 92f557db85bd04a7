package io.damoov.gateway.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for Damoov tokens at rest: {@code base64(iv(12) || ciphertext+tag)}, with the row's identity as
 * associated data so a ciphertext cannot be moved to another identity.
 */
public final class TokenCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public TokenCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the token encryption key must be 256 bits");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    public static TokenCipher fromBase64(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the token encryption key is not base64");
        }
        return new TokenCipher(raw);
    }

    public static byte[] generateKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    public String encrypt(String plain, String associatedData) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed");
        }
    }

    /** Decrypts; throws {@link UndecryptableException} when the key or the associated data do not match. */
    public String decrypt(String stored, String associatedData) {
        if (stored == null) {
            return null;
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UndecryptableException();
        }
    }

    /** A stored token that the current key cannot decrypt (the key was changed). */
    public static final class UndecryptableException extends RuntimeException {
        UndecryptableException() {
            super("stored token cannot be decrypted with the current key", null, false, false);
        }
    }
}
