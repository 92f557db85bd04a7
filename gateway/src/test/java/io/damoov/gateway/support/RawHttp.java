package io.damoov.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends a request exactly as written (no client-side normalisation of {@code ..}, percent-encoding, repeated or
 * conflicting headers) and reads the answer of a {@code Connection: close} exchange.
 */
public final class RawHttp {

    /** An answer: status, headers (names lower-cased, last value wins), body as text. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    public static int status(String method, String rawPath, String bearer) {
        return send(method + " " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + bearer
                + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").status();
    }

    /** Sends {@code raw} as is (head and body) and reads the whole answer until the server closes. */
    public static Answer send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Answer send(byte[] raw) {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(raw);
            out.flush();
            return parse(readAll(s.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // the server kept the connection open or reset it after answering: take what arrived
        }
        return all.toByteArray();
    }

    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || lines[0].split(" ").length < 2) {
            throw new IllegalStateException("no HTTP answer: " + text);
        }
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
