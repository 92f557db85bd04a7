package io.damoov.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads a journal line the way {@link LineEncoder} writes it: the fields in their order, strings without escapes.
 * The audit writer reads every record back once (PostgreSQL's path); a JSON tree per record cost more than the
 * {@code COPY} that follows. Anything else (an escape, another order, a line of an earlier version) is
 * {@code null}: the caller then reads the line as JSON, so the fast path never decides what a line means.
 */
final class LineDecoder {

    private final byte[] b;
    private int i;
    private final int end;

    private LineDecoder(byte[] b, int offset, int length) {
        this.b = b;
        this.i = offset;
        this.end = offset + length;
    }

    /** The record of the line in {@code b[offset, offset + length)} (no newline), or null to read it as JSON. */
    static AuditRecord decode(byte[] b, int offset, int length) {
        LineDecoder d = new LineDecoder(b, offset, length);
        try {
            return d.record();
        } catch (NotFast e) {
            return null;
        }
    }

    private AuditRecord record() {
        String id = field("{\"id\":");
        long at = number(",\"at\":");
        String tenant = field(",\"tenant\":");
        String subject = field(",\"subject\":");
        String principal = field(",\"principal\":");
        String action = field(",\"action\":");
        String fingerprint = field(",\"tokenFingerprint\":");
        String route = field(",\"route\":");
        String method = field(",\"method\":");
        String path = field(",\"path\":");
        long status = number(",\"status\":");
        long upstreamStatus = number(",\"upstreamStatus\":");
        String clientIp = field(",\"clientIp\":");
        String requestId = field(",\"requestId\":");
        long latency = number(",\"latencyMs\":");
        String reason = field(",\"reason\":");
        literal("}");
        if (i != end || id == null || action == null || status != (int) status
                || upstreamStatus != (int) upstreamStatus) {
            throw NotFast.INSTANCE;
        }
        return new AuditRecord(id, Instant.ofEpochMilli(at), tenant, subject, principal, action, fingerprint, route,
                method, path, (int) status, (int) upstreamStatus, clientIp, requestId, latency, reason);
    }

    private String field(String name) {
        literal(name);
        if (i < end && b[i] == 'n') {
            literal("null");
            return null;
        }
        if (i >= end || b[i] != '"') {
            throw NotFast.INSTANCE;
        }
        int start = ++i;
        boolean ascii = true;
        while (i < end && b[i] != '"') {
            if (b[i] == '\\' || (b[i] >= 0 && b[i] < 0x20)) {
                throw NotFast.INSTANCE; // an escape: JSON's reading decides
            }
            ascii &= b[i] >= 0;
            i++;
        }
        if (i >= end) {
            throw NotFast.INSTANCE;
        }
        String s = new String(b, start, i - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        i++;
        return s;
    }

    private long number(String name) {
        literal(name);
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        int start = i;
        long v = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9' && i - start < 18) {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        if (i == start || (i < end && b[i] >= '0' && b[i] <= '9')) {
            throw NotFast.INSTANCE; // no digits, or more than a long surely holds
        }
        return negative ? -v : v;
    }

    private void literal(String s) {
        int n = s.length();
        if (end - i < n) {
            throw NotFast.INSTANCE;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != s.charAt(k)) {
                throw NotFast.INSTANCE;
            }
        }
        i += n;
    }

    /** Not a line of the fast path's shape; thrown without a stack trace. */
    private static final class NotFast extends RuntimeException {
        static final NotFast INSTANCE = new NotFast();

        private NotFast() {
            super(null, null, false, false);
        }
    }
}
