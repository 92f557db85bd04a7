package io.damoov.gateway.audit;

import java.time.Instant;
import java.util.List;

/**
 * One audit record (docs/audit.md). Holds a token's fingerprint, never a token, key or password.
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

    /** Column widths of audit_record; every field is cut to its width when the record is made. */
    public static final int MAX_ID = 36;
    public static final int MAX_TENANT = 64;
    public static final int MAX_SUBJECT = 255;
    public static final int MAX_PRINCIPAL = 8;
    public static final int MAX_ACTION = 16;
    public static final int MAX_FINGERPRINT = 16;
    public static final int MAX_ROUTE = 255;
    public static final int MAX_METHOD = 10;
    public static final int MAX_PATH = 2048;
    public static final int MAX_CLIENT_IP = 64;
    public static final int MAX_REQUEST_ID = 128;
    public static final int MAX_REASON = 128;
    /** Ends a value that was cut to its column: the record says it is not the whole value. */
    public static final char TRUNCATED = '\u2026';

    /**
     * Every field within its column on H2 and PostgreSQL, whoever made the record (a request, a decoder, a
     * replay): a value too long for its column (a 15-character method, a 1,000-character subject) is cut and ends
     * with {@link #TRUNCATED}, so no record can make the store refuse a batch.
     */
    public AuditRecord {
        id = bound(id, MAX_ID);
        tenant = bound(tenant, MAX_TENANT);
        subject = bound(subject, MAX_SUBJECT);
        principal = bound(principal, MAX_PRINCIPAL);
        action = bound(action, MAX_ACTION);
        tokenFingerprint = bound(tokenFingerprint, MAX_FINGERPRINT);
        route = bound(route, MAX_ROUTE);
        method = bound(method, MAX_METHOD);
        path = bound(path, MAX_PATH);
        clientIp = bound(clientIp, MAX_CLIENT_IP);
        requestId = bound(requestId, MAX_REQUEST_ID);
        reason = bound(reason, MAX_REASON);
    }

    /** {@code value} cut to {@code max} characters (never inside a surrogate pair), ending in {@link #TRUNCATED}. */
    static String bound(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + TRUNCATED;
    }

    public static final String USE = "use";
    public static final String REFRESH = "refresh";
    public static final String LOGIN = "login";
    public static final String ENROLL = "enroll";
    public static final String REVOKE = "revoke";
    public static final String DENY = "deny";
    public static final String THROTTLE = "throttle";

    /** This record as one NDJSON line (UTF-8, with its newline), as the journal writes it. */
    public byte[] line() {
        return AuditJournal.encode(this);
    }

    /**
     * Writes {@code records} as NDJSON lines ({@link #line()}'s bytes, one after the other) with one call to
     * {@code out}, from a buffer of the calling thread (no copy per record); returns the bytes written.
     */
    public static int writeLines(List<AuditRecord> records, java.io.DataOutput out) throws java.io.IOException {
        LineEncoder e = LineEncoder.local();
        int n = e.encode(records);
        out.write(e.bytes(), 0, n);
        return n;
    }

    /** The record of one NDJSON line that {@link #line()} wrote; fails on anything else. */
    public static AuditRecord ofLine(String line) {
        byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return AuditJournal.decodeLine(b, 0, b.length);
    }

    /** {@code value} as a JSON string, escaped exactly as {@link #line()} writes it (to find it in a line unparsed). */
    public static String jsonString(String value) {
        return AuditJournal.string(new StringBuilder(), value).toString();
    }

    /** A record of {@code action}, the only way the gateway makes one (decoders use the canonical constructor). */
    public static Builder of(String action) {
        return new Builder(action);
    }

    /**
     * Builds a record by name rather than by position. {@code id} and {@code at} are set when it is built (a
     * time-ordered id, and the given clock's instant); everything else is null or 0 unless set.
     */
    public static final class Builder {
        private final String action;
        private String tenant;
        private String subject;
        private String principal;
        private String tokenFingerprint;
        private String route;
        private String method;
        private String path;
        private int status;
        private int upstreamStatus;
        private String clientIp;
        private String requestId;
        private long latencyMs;
        private String reason;

        private Builder(String action) {
            this.action = action;
        }

        /** Tenant, subject, request id, client IP, route, method and path of the request the event belongs to. */
        public Builder context(AuditContext ctx) {
            return tenant(ctx.tenant()).subject(ctx.subject()).requestId(ctx.requestId()).clientIp(ctx.clientIp())
                    .route(ctx.route()).method(ctx.method()).path(ctx.path());
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder principal(String principal) {
            this.principal = principal;
            return this;
        }

        public Builder tokenFingerprint(String tokenFingerprint) {
            this.tokenFingerprint = tokenFingerprint;
            return this;
        }

        public Builder route(String route) {
            this.route = route;
            return this;
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder upstreamStatus(int upstreamStatus) {
            this.upstreamStatus = upstreamStatus;
            return this;
        }

        public Builder clientIp(String clientIp) {
            this.clientIp = clientIp;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder latencyMs(long latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public AuditRecord build(java.time.Clock clock) {
            return new AuditRecord(io.damoov.gateway.core.Ids.uuid7(), clock.instant(), tenant, subject, principal,
                    action, tokenFingerprint, route, method, path, status, upstreamStatus, clientIp, requestId,
                    latencyMs, reason);
        }
    }
}
