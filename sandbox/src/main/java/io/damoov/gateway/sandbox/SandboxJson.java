package io.damoov.gateway.sandbox;

import java.util.Map;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** Case-insensitive lookups in JSON bodies and query strings (docs/damoov-api.md §2.2). */
final class SandboxJson {

    private SandboxJson() {
    }

    static Object get(JsonObject json, String key) {
        if (json == null) {
            return null;
        }
        if (json.containsKey(key)) {
            return json.getValue(key);
        }
        for (Map.Entry<String, Object> e : json) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    static String string(JsonObject json, String key) {
        Object v = get(json, key);
        if (v == null) {
            return null;
        }
        String s = v instanceof String str ? str : String.valueOf(v);
        return s.isBlank() ? null : s;
    }

    static JsonObject object(JsonObject json, String key) {
        Object v = get(json, key);
        if (v instanceof JsonObject o) {
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return new JsonObject(map);
        }
        return null;
    }

    static String param(MultiMap params, String name) {
        for (Map.Entry<String, String> e : params) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isBlank()) {
                return e.getValue();
            }
        }
        return null;
    }
}
