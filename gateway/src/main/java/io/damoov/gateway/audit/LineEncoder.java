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
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

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
        ascii("{\"id\":").string(r.id()).ascii(",\"at\":").number(r.at().toEpochMilli()).ascii(",\"tenant\":")
                .string(r.tenant()).ascii(",\"subject\":").string(r.subject()).ascii(",\"principal\":")
                .string(r.principal()).ascii(",\"action\":").string(r.action()).ascii(",\"tokenFingerprint\":")
                .string(r.tokenFingerprint()).ascii(",\"route\":").string(r.route()).ascii(",\"method\":")
                .string(r.method()).ascii(",\"path\":").string(r.path()).ascii(",\"status\":").number(r.status())
                .ascii(",\"upstreamStatus\":").number(r.upstreamStatus()).ascii(",\"clientIp\":")
                .string(r.clientIp()).ascii(",\"requestId\":").string(r.requestId()).ascii(",\"latencyMs\":")
                .number(r.latencyMs()).ascii(",\"reason\":").string(r.reason()).ascii("}\n");
        return len;
    }

    private LineEncoder ascii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    private LineEncoder number(long v) {
        if (v < 0) {
            return ascii(Long.toString(v)); // never in a record: status, epoch millis and latency are not negative
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
            room(NULL.length);
            System.arraycopy(NULL, 0, buf, len, NULL.length);
            len += NULL.length;
            return this;
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
