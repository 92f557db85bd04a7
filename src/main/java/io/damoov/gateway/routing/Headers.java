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

    /** What is dropped in each direction, as one set each: one lookup per header on the request path. */
    private static final Set<String> DROPPED_REQUEST = union(STRIPPED_REQUEST, HOP_BY_HOP);
    private static final Set<String> DROPPED_RESPONSE = union(STRIPPED_RESPONSE, HOP_BY_HOP);

    private Headers() {
    }

    public static MultiMap upstreamRequest(MultiMap client) {
        return copy(client, DROPPED_REQUEST);
    }

    public static MultiMap clientResponse(MultiMap upstream) {
        return copy(upstream, DROPPED_RESPONSE);
    }

    private static MultiMap copy(MultiMap from, Set<String> dropped) {
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
            if (!dropped.contains(name) && !named.contains(name)) {
                out.add(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
