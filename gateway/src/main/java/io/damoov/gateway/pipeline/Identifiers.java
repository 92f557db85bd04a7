package io.damoov.gateway.pipeline;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.buffer.Buffer;

/**
 * User identifiers in a request or a response (docs/routing.md, identifier hygiene). A name is an identifier when its
 * last component, after ASP.NET's binding prefixes and indices are taken off ({@code req.UserId},
 * {@code UserId[0]}, {@code Identifiers[UserId]}), is one of Damoov's names for a user (docs/damoov-api.md §2.3):
 * {@code DeviceToken}, {@code UserId}, {@code DeviceId}, and {@code UserDeviceToken}, or their plurals
 * ({@code DeviceTokens}, …: a list of users), in any case. Query
 * parameters and JSON keys at any depth count; under such a key a scalar or every scalar of an array is an
 * identifier.
 */
public final class Identifiers {

    private static final Set<String> NAMES = Set.of("devicetoken", "userid", "deviceid", "userdevicetoken",
            "devicetokens", "userids", "deviceids", "userdevicetokens");
    /** What every name above contains ({@code userdevicetoken} contains {@code devicetoken}). */
    private static final List<String> NEEDLES = List.of("devicetoken", "userid", "deviceid");

    private Identifiers() {
    }

    /** Whether a query parameter or JSON key names a user identifier, whatever prefix or index it carries. */
    public static boolean isIdentifier(String name) {
        if (name.isEmpty()) {
            return false;
        }
        int end = name.charAt(name.length() - 1) | 0x20;
        if (end >= 'a' && end <= 'z' && end != 'n' && end != 'd' && end != 's') {
            return false; // a last letter ends the last part too, and every name ends in n, d or s: most keys end here
        }
        if (isPlainAscii(name)) { // JSON keys as Damoov writes them: no prefix, index or odd character
            int first = name.charAt(0) | 0x20;
            if (first != 'd' && first != 'u') {
                return false; // every name starts with d or u
            }
            for (String n : NAMES) {
                if (n.equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }
        String last = null;
        for (String part : name.replace('[', '.').replace("]", "").split("\\.")) {
            String p = part.trim();
            if (!p.isEmpty() && !p.chars().allMatch(Character::isDigit)) {
                last = p;
            }
        }
        return last != null && NAMES.contains(last.toLowerCase(Locale.ROOT));
    }

    /** Printable ASCII without {@code .}, {@code [} or {@code ]}, not all digits: the name is its own last part. */
    private static boolean isPlainAscii(String name) {
        boolean digitsOnly = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~' || c == '.' || c == '[' || c == ']') {
                return false;
            }
            digitsOnly &= c >= '0' && c <= '9';
        }
        return !name.isEmpty() && !digitsOnly;
    }

    /**
     * False only when no key of the JSON document {@code body} can name an identifier: none of the identifier names
     * occurs in it (ASCII, any case) and it has no escape ({@code \}) that could spell one. Lets answers without
     * identifiers pass without being parsed.
     */
    public static boolean mayName(Buffer body) {
        int n = body.length();
        for (int i = 0; i < n; i++) {
            byte b = body.getByte(i);
            if (b == '\\') {
                return true;
            }
            if ((b | 0x20) == 'd' || (b | 0x20) == 'u') {
                for (String name : NEEDLES) {
                    if (matchesAt(body, i, name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean matchesAt(Buffer body, int at, String lower) {
        if (at + lower.length() > body.length()) {
            return false;
        }
        for (int j = 0; j < lower.length(); j++) {
            byte b = body.getByte(at + j);
            if (b >= 'A' && b <= 'Z' ? b + 32 != lower.charAt(j) : b != lower.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** The query string with every identifier parameter set to {@code deviceToken}; null stays null. */
    public static String forceQuery(String query, String deviceToken) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length());
        for (String pair : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (isIdentifier(name)) {
                out.append(eq < 0 ? pair : pair.substring(0, eq)).append('=')
                        .append(URLEncoder.encode(deviceToken, StandardCharsets.UTF_8));
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }

    /** Values of identifier parameters in a query string. */
    public static List<String> inQuery(String query) {
        List<String> values = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (isIdentifier(name)) {
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    /** Identifier values anywhere in a parsed JSON body ({@link JsonBodies}). */
    public static List<String> inJson(Object json) {
        List<String> values = new ArrayList<>();
        rewrite(json, v -> {
            values.add(v.toString());
            return v;
        });
        return values;
    }

    /** Sets every identifier in a parsed JSON body to {@code deviceToken}. */
    public static void forceJson(Object json, String deviceToken) {
        rewrite(json, v -> deviceToken);
    }

    /**
     * Replaces every identifier value of a parsed JSON document (maps and lists) by what {@code replace} makes of
     * it; returns true when something changed.
     */
    public static boolean rewrite(Object node, UnaryOperator<Object> replace) {
        boolean changed = false;
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = e.getValue();
                if (isIdentifier(String.valueOf(e.getKey())) && isScalar(v)) {
                    changed |= set(e, replace.apply(v));
                } else if (isIdentifier(String.valueOf(e.getKey())) && v instanceof List<?> list) {
                    changed |= rewriteScalars(list, replace);
                } else {
                    changed |= rewrite(v, replace);
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object v : list) {
                changed |= rewrite(v, replace);
            }
        }
        return changed;
    }

    @SuppressWarnings("unchecked")
    private static boolean rewriteScalars(List<?> list, UnaryOperator<Object> replace) {
        boolean changed = false;
        List<Object> values = (List<Object>) list;
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (isScalar(v)) {
                Object r = replace.apply(v);
                changed |= !r.equals(v);
                values.set(i, r);
            } else {
                changed |= rewrite(v, replace);
            }
        }
        return changed;
    }

    @SuppressWarnings("unchecked")
    private static boolean set(Map.Entry<?, ?> e, Object value) {
        if (value.equals(e.getValue())) {
            return false;
        }
        ((Map.Entry<Object, Object>) e).setValue(value);
        return true;
    }

    private static boolean isScalar(Object v) {
        return v != null && !(v instanceof Map) && !(v instanceof List);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(ProblemType.BAD_REQUEST, "bad-query", "The query string is malformed");
        }
    }
}
