package io.damoov.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes audit records as NDJSON lines into one reused byte array per thread: the line is made on every request (an
 * event loop), and a string plus its UTF-8 copy per record cost more than the write that follows. The bytes are
 * exactly {@link AuditJournal#encode}'s: a value made only of printable ASCII that needs no escape is copied as it
 * is, any other goes through {@link AuditJournal#string} and UTF-8.
 */
final class LineEncoder {

    private static final ThreadLocal<LineEncoder> LOCAL = ThreadLocal.withInitial(LineEncoder::new);
    private static final byte[] NULL = ascii("null");
    private static final byte[] K_ID = ascii("{\"id\":");
    private static final byte[] K_AT = ascii(",\"at\":");
    private static final byte[] K_TENANT = ascii(",\"tenant\":");
    private static final byte[] K_SUBJECT = ascii(",\"subject\":");
    private static final byte[] K_PRINCIPAL = ascii(",\"principal\":");
    private static final byte[] K_ACTION = ascii(",\"action\":");
    private static final byte[] K_TOKEN_FINGERPRINT = ascii(",\"tokenFingerprint\":");
    private static final byte[] K_ROUTE = ascii(",\"route\":");
    private static final byte[] K_METHOD = ascii(",\"method\":");
    private static final byte[] K_PATH = ascii(",\"path\":");
    private static final byte[] K_STATUS = ascii(",\"status\":");
    private static final byte[] K_UPSTREAM_STATUS = ascii(",\"upstreamStatus\":");
    private static final byte[] K_CLIENT_IP = ascii(",\"clientIp\":");
    private static final byte[] K_REQUEST_ID = ascii(",\"requestId\":");
    private static final byte[] K_LATENCY_MS = ascii(",\"latencyMs\":");
    private static final byte[] K_REASON = ascii(",\"reason\":");
    private static final byte[] END = ascii("}\n");

    private static final int KEEP = 64 * 1024;

    private byte[] buf = new byte[1024];
    private int len;

    private LineEncoder() {
    }

    /** This thread's encoder. */
    static LineEncoder local() {
        return LOCAL.get();
    }

    /** The bytes encoded since the last {@link #reset}: {@code [0, length)} of this array, valid until then. */
    byte[] bytes() {
        return buf;
    }

    /** Encodes {@code r} as one line (with its newline), alone, and returns its length in bytes. */
    int encode(AuditRecord r) {
        reset();
        return append(r);
    }

    /** Encodes each record as one line, one after the other, and returns their length in bytes. */
    int encode(java.util.List<AuditRecord> records) {
        reset();
        for (AuditRecord r : records) {
            append(r);
        }
        return len;
    }

    private void reset() {
        len = 0;
        if (buf.length > KEEP) { // a big batch (a journal replay) does not keep its buffer for good
            buf = new byte[1024];
        }
    }

    /** Appends {@code r} as one line to what is encoded so far; returns the length of it all. */
    private int append(AuditRecord r) {
        bytes(K_ID).string(r.id()).bytes(K_AT).number(r.at().toEpochMilli()).bytes(K_TENANT)
                .string(r.tenant()).bytes(K_SUBJECT).string(r.subject()).bytes(K_PRINCIPAL)
                .string(r.principal()).bytes(K_ACTION).string(r.action()).bytes(K_TOKEN_FINGERPRINT)
                .string(r.tokenFingerprint()).bytes(K_ROUTE).string(r.route()).bytes(K_METHOD)
                .string(r.method()).bytes(K_PATH).string(r.path()).bytes(K_STATUS).number(r.status())
                .bytes(K_UPSTREAM_STATUS).number(r.upstreamStatus()).bytes(K_CLIENT_IP)
                .string(r.clientIp()).bytes(K_REQUEST_ID).string(r.requestId()).bytes(K_LATENCY_MS)
                .number(r.latencyMs()).bytes(K_REASON).string(r.reason()).bytes(END);
        return len;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private LineEncoder bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    private LineEncoder number(long v) {
        if (v < 0) {
            return bytes(ascii(Long.toString(v))); // never in a record: status, epoch millis and latency are not negative
        }
        int digits = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) {
            digits++;
        }
        room(digits);
        for (int i = len + digits - 1; i >= len; i--, v /= 10) {
            buf[i] = (byte) ('0' + v % 10);
        }
        len += digits;
        return this;
    }

    private LineEncoder string(String v) {
        if (v == null) {
            return bytes(NULL);
        }
        int n = v.length();
        room(n + 2);
        int start = len;
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') { // escapes or non-ASCII: the general way
                len = start;
                byte[] escaped = AuditJournal.string(new StringBuilder(n + 16), v).toString()
                        .getBytes(StandardCharsets.UTF_8);
                room(escaped.length);
                System.arraycopy(escaped, 0, buf, len, escaped.length);
                len += escaped.length;
                return this;
            }
            buf[len++] = (byte) c;
        }
        buf[len++] = '"';
        return this;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
