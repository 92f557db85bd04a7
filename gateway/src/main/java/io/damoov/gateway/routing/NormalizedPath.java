package io.damoov.gateway.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;

/**
 * A client path after normalisation, before routing: percent-decoded once, empty and {@code .} segments dropped,
 * {@code ..} resolved; encoded slashes or backslashes, control characters and {@code ..} above the root are refused
 * (400). Routing and forwarding both use the result, so no encoding trick can reach a path the table did not
 * route.
 *
 * @param upstream the first segment, lower-cased
 * @param path the rest, starting with {@code /}, decoded (for matching)
 * @param encodedPath the rest, re-encoded for the upstream request line
 */
public record NormalizedPath(String upstream, String path, String encodedPath) {

    /** Characters left as they are in an encoded path segment (RFC 3986 unreserved, sub-delims, ':' and '@'). */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@".toCharArray()) {
            PLAIN[c] = true;
        }
    }

    public static NormalizedPath of(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw bad("The path must start with '/'");
        }
        NormalizedPath plain = plain(rawPath);
        return plain != null ? plain : general(rawPath);
    }

    /**
     * The common case in one scan and without copies: no percent-encoding, no character that needs encoding, no
     * empty, {@code .} or {@code ..} segment (a trailing slash is fine). Then normalising changes nothing, so the
     * result is what {@link #general} would return; {@code null} sends every other path there.
     */
    static NormalizedPath plain(String raw) {
        int n = raw.length();
        int segmentStart = 1;
        int firstEnd = -1;
        for (int i = 1; i <= n; i++) {
            if (i < n && raw.charAt(i) != '/') {
                char c = raw.charAt(i);
                if (c >= 128 || !PLAIN[c]) {
                    return null;
                }
                continue;
            }
            int length = i - segmentStart;
            boolean trailingSlash = length == 0 && i == n && firstEnd > 0;
            if ((length == 0 && !trailingSlash) || (length == 1 && raw.charAt(segmentStart) == '.')
                    || (length == 2 && raw.charAt(segmentStart) == '.' && raw.charAt(segmentStart + 1) == '.')) {
                return null;
            }
            if (firstEnd < 0) {
                firstEnd = i;
            }
            segmentStart = i + 1;
        }
        String rest = raw.substring(firstEnd);
        String path = rest.isEmpty() ? "/" : rest;
        return new NormalizedPath(raw.substring(1, firstEnd).toLowerCase(Locale.ROOT), path, path);
    }

    /** Decodes, drops and resolves segment by segment, then encodes again. */
    static NormalizedPath general(String rawPath) {
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = rawPath.length() > 1 && rawPath.endsWith("/");
        for (String raw : rawPath.split("/")) {
            String segment = decode(raw);
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw bad("The path climbs above the root");
                }
                segments.remove(segments.size() - 1);
                continue;
            }
            segments.add(segment);
        }
        if (segments.isEmpty()) {
            return new NormalizedPath("", "/", "/");
        }
        StringBuilder path = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        for (int i = 1; i < segments.size(); i++) {
            path.append('/').append(segments.get(i));
            encoded.append('/').append(encode(segments.get(i)));
        }
        if (trailingSlash || path.isEmpty()) {
            path.append('/');
            encoded.append('/');
        }
        return new NormalizedPath(segments.get(0).toLowerCase(Locale.ROOT), path.toString(), encoded.toString());
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            check(s);
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw bad("The path has a broken percent-encoding");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw bad("The path has a broken percent-encoding");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        String decoded = new String(out.toByteArray(), StandardCharsets.UTF_8);
        check(decoded);
        return decoded;
    }

    private static void check(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\') {
                throw bad("Encoded slashes and backslashes are not allowed in the path");
            }
            if (c < 0x20 || c == 0x7f) {
                throw bad("Control characters are not allowed in the path");
            }
        }
    }

    private static String encode(String segment) {
        StringBuilder sb = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && PLAIN[c]) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static GatewayException bad(String detail) {
        return new GatewayException(ProblemType.BAD_REQUEST, "bad-path", detail);
    }
}
