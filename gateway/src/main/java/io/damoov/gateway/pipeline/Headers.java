package io.damoov.gateway.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.MultiMap;

/**
 * Header hygiene in one place (docs/routing.md). To Damoov only an allow-list of client headers passes: the
 * built-in one ({@link #ALLOWED_REQUEST}, every {@code If-*}) and {@code gateway.forward-headers}; a name with an
 * underscore, a credential, a hop-by-hop header or one the gateway sets itself never does, listed or not. From
 * Damoov everything passes but its credentials, cookies and hop-by-hop headers.
 */
public final class Headers {

    /** What an app may send Damoov: content negotiation, conditionals, its agent, trace context. */
    static final Set<String> ALLOWED_REQUEST = caseInsensitive(Set.of("accept", "accept-encoding", "accept-language",
            "content-type", "user-agent", "traceparent", "tracestate"));

    /** Client credentials, headers the gateway sets itself and routing headers: never forwarded, even if listed. */
    private static final Set<String> NEVER_REQUEST = caseInsensitive(Set.of("authorization", "cookie", "devicetoken",
            "userdevicetoken", "instanceid", "instancekey", "host", "content-length", "x-request-id", "expect",
            "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
            "x-forwarded-prefix", "x-real-ip", "x-original-url", "x-rewrite-url", "x-http-method-override",
            "x-http-method", "x-method-override", "true-client-ip", "cf-connecting-ip"));

    /** Damoov credentials and cookies never reach the client. */
    private static final Set<String> STRIPPED_RESPONSE = Set.of("authorization", "devicetoken", "userdevicetoken",
            "instanceid", "instancekey", "set-cookie", "www-authenticate", "x-request-id");

    /** RFC 9110 §7.6.1 hop-by-hop headers. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private static final HeaderNames DROPPED_RESPONSE = HeaderNames.of(
            java.util.stream.Stream.concat(STRIPPED_RESPONSE.stream(), HOP_BY_HOP.stream()).toList());

    private final HeaderNames allowed;

    private Headers(HeaderNames allowed) {
        this.allowed = allowed;
    }

    /** The built-in allow-list plus {@code extra} ({@code gateway.forward-headers}) less what may never pass. */
    public static Headers allowing(Collection<String> extra) {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(ALLOWED_REQUEST);
        all.addAll(extra.stream().map(String::trim).filter(n -> refusal(n) == null).toList());
        return new Headers(HeaderNames.of(all));
    }

    /** Why a configured extra header can never pass, or null when it can. */
    public static String refusal(String name) {
        if (name.isEmpty() || name.contains("_")) {
            return "names with an underscore never pass";
        }
        if (NEVER_REQUEST.contains(name) || HOP_BY_HOP.contains(name.toLowerCase())) {
            return "a credential, routing or hop-by-hop header never passes";
        }
        return null;
    }

    /** Extras that {@link #refusal} refuses, each with the reason, for the start-up check. */
    public static List<String> refused(Collection<String> extra) {
        List<String> out = new ArrayList<>();
        for (String n : extra) {
            String why = refusal(n.trim());
            if (why != null) {
                out.add("'" + n + "': " + why);
            }
        }
        return out;
    }

    /**
     * Adds the client's allowed headers to {@code upstream} (the upstream request's own map, case-insensitive), except those
     * the
     * gateway set there itself and those {@code Connection} names.
     */
    public void forwardRequest(MultiMap client, MultiMap upstream) {
        Set<String> named = connectionNamed(client);
        List<Map.Entry<String, String>> passing = null;
        for (var e : client) {
            String name = e.getKey();
            // upstream (case-insensitive) still holds only what the gateway set: the client's are added below
            if ((allowed.contains(name) || name.regionMatches(true, 0, "if-", 0, 3)) && name.indexOf('_') < 0
                    && !named.contains(name) && !upstream.contains(name)) {
                if (passing == null) {
                    passing = new ArrayList<>(8);
                }
                passing.add(e);
            }
        }
        if (passing != null) {
            for (var e : passing) {
                upstream.add(e.getKey(), e.getValue());
            }
        }
    }

    /** Adds Damoov's headers that may reach the client to {@code client} (the client response's own map). */
    public static void forwardResponse(MultiMap upstream, MultiMap client) {
        Set<String> named = connectionNamed(upstream);
        for (var e : upstream) {
            String name = e.getKey();
            if (!DROPPED_RESPONSE.contains(name) && !named.contains(name)) {
                client.add(name, e.getValue());
            }
        }
    }

    /**
     * Headers that {@code Connection} names as hop-by-hop (RFC 9110 §7.6.1). The usual values, {@code keep-alive}
     * and {@code close}, name nothing beyond the fixed set: then no set is built (most upstream responses carry one).
     */
    private static Set<String> connectionNamed(MultiMap from) {
        Set<String> named = null;
        for (String value : from.getAll("Connection")) {
            if (value.equalsIgnoreCase("keep-alive") || value.equalsIgnoreCase("close")) {
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

    private static Set<String> caseInsensitive(Collection<String> names) {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(names);
        return Collections.unmodifiableSet(all);
    }
}
