package io.damoov.gateway.pipeline;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * User identifiers in a request (docs/routing.md): query parameters {@code deviceToken}, {@code DeviceToken},
 * {@code UserId} (any casing) and, in JSON bodies, keys {@code UserId} and {@code DeviceToken} at any depth (so
 * {@code Identifiers.UserId} too). On user and device routes they are forced to the caller's DeviceToken; on admin
 * routes they are collected for the tenant check.
 */
public final class Identifiers {

    private Identifiers() {
    }

    public static boolean isIdentifier(String name) {
        return name.equalsIgnoreCase("deviceToken") || name.equalsIgnoreCase("UserId");
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
            if (eq > 0 && isIdentifier(decode(pair.substring(0, eq)))) {
                values.add(decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    /** Parses a JSON body, or returns null when the body is empty or not JSON by content type. */
    public static Object parseJson(Buffer body, String contentType) {
        if (body == null || body.length() == 0 || contentType == null || !contentType.toLowerCase().contains("json")) {
            return null;
        }
        try {
            return Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new GatewayException(ProblemType.BAD_REQUEST, "bad-json", "The request body is not valid JSON");
        }
    }

    /** Identifier values anywhere in a parsed JSON body. */
    public static List<String> inJson(Object json) {
        List<String> values = new ArrayList<>();
        walk(json, (obj, key) -> {
            Object v = obj.getValue(key);
            if (v != null) {
                values.add(v.toString());
            }
        });
        return values;
    }

    /** Sets every identifier in a parsed JSON body to {@code deviceToken}; returns true when something changed. */
    public static boolean forceJson(Object json, String deviceToken) {
        boolean[] changed = { false };
        walk(json, (obj, key) -> {
            if (!deviceToken.equals(obj.getValue(key))) {
                obj.put(key, deviceToken);
                changed[0] = true;
            }
        });
        return changed[0];
    }

    private interface Visitor {
        void identifier(JsonObject owner, String key);
    }

    private static void walk(Object node, Visitor visitor) {
        if (node instanceof JsonObject obj) {
            for (String key : new ArrayList<>(obj.fieldNames())) {
                Object v = obj.getValue(key);
                if (isIdentifier(key) && !(v instanceof JsonObject) && !(v instanceof JsonArray)) {
                    visitor.identifier(obj, key);
                } else {
                    walk(v, visitor);
                }
            }
        } else if (node instanceof JsonArray arr) {
            for (Object v : arr) {
                walk(v, visitor);
            }
        } else if (node instanceof Map<?, ?> m) {
            walk(new JsonObject(castMap(m)), visitor);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(ProblemType.BAD_REQUEST, "bad-query", "The query string is malformed");
        }
    }
}
