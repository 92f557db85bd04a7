package io.damoov.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque {@code after} cursor of the audit query: the (at, id) keyset of the last record of a page, base64url.
 * Clients pass it back unchanged; its content is not API.
 */
public record AuditCursor(long at, String id) {

    public static AuditCursor after(AuditRecord last) {
        return new AuditCursor(last.at().toEpochMilli(), last.id());
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((at + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Empty when {@code cursor} was not made by {@link #encode()}. */
    public static Optional<AuditCursor> decode(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            if (colon < 1 || colon == s.length() - 1 || s.length() > 64) {
                return Optional.empty();
            }
            return Optional.of(new AuditCursor(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
