package io.damoov.gateway.audit;

import java.time.Instant;

/**
 * One audit record (SPEC §6). Holds a token's fingerprint, never a token, key or password.
 *
 * @param id unique id (time-ordered)
 * @param at when, UTC, millisecond precision
 * @param principal user | admin | device, or null when no Damoov credential was involved
 * @param action use | refresh | login | enroll | revoke | deny | throttle
 * @param tokenFingerprint first 16 hex of SHA-256 of the Damoov token (or DeviceToken) used, or null
 * @param upstreamStatus Damoov's status, 0 when Damoov was not called
 */
public record AuditRecord(String id, Instant at, String tenant, String subject, String principal, String action,
        String tokenFingerprint, String route, String method, String path, int status, int upstreamStatus,
        String clientIp, String requestId, long latencyMs, String reason) {

    public static final String USE = "use";
    public static final String REFRESH = "refresh";
    public static final String LOGIN = "login";
    public static final String ENROLL = "enroll";
    public static final String REVOKE = "revoke";
    public static final String DENY = "deny";
    public static final String THROTTLE = "throttle";
}
