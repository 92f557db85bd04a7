package io.damoov.gateway.pipeline;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

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

    /**
     * What is dropped in each direction, as one set each, case-insensitive: one lookup per header on the request
     * path, with no lower-cased copy of the name.
     */
    private static final Set<String> DROPPED_REQUEST = union(STRIPPED_REQUEST, HOP_BY_HOP);
    private static final Set<String> DROPPED_RESPONSE = union(STRIPPED_RESPONSE, HOP_BY_HOP);

    private Headers() {
    }

    /** Adds the client's headers that may reach Damoov to {@code upstream} (the upstream request's own map). */
    public static void forwardRequest(MultiMap client, MultiMap upstream) {
        copy(client, upstream, DROPPED_REQUEST);
    }

    /** Adds Damoov's headers that may reach the client to {@code client} (the client response's own map). */
    public static void forwardResponse(MultiMap upstream, MultiMap client) {
        copy(upstream, client, DROPPED_RESPONSE);
    }

    /** Straight into the destination: no intermediate map per request and direction. */
    private static void copy(MultiMap from, MultiMap to, Set<String> dropped) {
        Set<String> named = connectionNamed(from);
        for (var e : from) {
            String name = e.getKey();
            if (!dropped.contains(name) && !named.contains(name)) {
                to.add(name, e.getValue());
            }
        }
    }

    /**
     * Headers that {@code Connection} names as hop-by-hop (RFC 9110 §7.6.1). The usual values, {@code keep-alive}
     * and {@code close}, name nothing beyond the fixed set: then no set is built (most upstream responses carry one).
     */
    private static Set<String> connectionNamed(MultiMap from) {
        Set<String> named = null;
        for (var e : from) {
            String value = e.getValue();
            if (!e.getKey().equalsIgnoreCase("connection") || value.equalsIgnoreCase("keep-alive")
                    || value.equalsIgnoreCase("close")) {
                continue;
            }
            for (String token : value.split(",")) {
                if (named == null) {
                    named = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                }
                named.add(token.trim());
            }
        }
        return named == null ? Set.of() : named;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(a);
        all.addAll(b);
        return Collections.unmodifiableSet(all);
    }
}
