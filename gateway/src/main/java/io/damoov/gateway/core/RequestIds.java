package io.damoov.gateway.core;

/** {@code X-Request-Id}: a valid incoming value is echoed, anything else is replaced by a new id. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    public static String from(String incoming) {
        return valid(incoming) ? incoming : Ids.uuid4();
    }

    /**
     * 1 to 128 characters of {@code [A-Za-z0-9._:-]}. A loop, not a regex: it runs on every request, and the
     * regex's character-class matching showed up in the proxy's profile (bench/proxy/README.md).
     */
    static boolean valid(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
