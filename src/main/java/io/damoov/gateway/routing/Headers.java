package io.damoov.gateway.routing;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.MultiMap;

/** Header hygiene in one place: what never crosses the gateway in either direction. */
public final class Headers {

    /** Client credentials and headers the gateway sets itself. */
    private static final Set<String> STRIPPED_REQUEST = Set.of("authorization", "cookie", "devicetoken",
            "userdevicetoken", "instanceid", "instancekey", "host", "content-length", "x-request-id", "expect",
            "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto");

    /** Damoov credentials and cookies never reach the client. */
    private static final Set<String> STRIPPED_RESPONSE = Set.of("authorization", "devicetoken", "userdevicetoken",
            "instanceid", "instancekey", "set-cookie", "www-authenticate", "x-request-id");

    /** RFC 9110 §7.6.1 hop-by-hop headers. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private Headers() {
    }

    public static MultiMap upstreamRequest(MultiMap client) {
        return copy(client, STRIPPED_REQUEST);
    }

    public static MultiMap clientResponse(MultiMap upstream) {
        return copy(upstream, STRIPPED_RESPONSE);
    }

    private static MultiMap copy(MultiMap from, Set<String> stripped) {
        Set<String> named = Set.of();
        if (from.contains("connection")) {
            named = new HashSet<>();
            for (String c : from.getAll("connection")) {
                for (String token : c.split(",")) {
                    named.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (var e : from) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!stripped.contains(name) && !HOP_BY_HOP.contains(name) && !named.contains(name)) {
                out.add(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
