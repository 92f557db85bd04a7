package io.damoov.gateway.edge;

import java.util.regex.Pattern;

/** {@code X-Request-Id}: a valid incoming value is echoed, anything else is replaced by a new id. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    public static String from(String incoming) {
        return incoming != null && VALID.matcher(incoming).matches() ? incoming : Ids.uuid4();
    }
}
