package io.damoov.gateway.sandbox;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * One incoming request, read once: method, raw path, query, headers, params (case-insensitive lookups through
 * {@link #header} and {@link #param}) and the body, parsed as a JSON object when it is one.
 *
 * @param json the body as a JSON object; null when the body is empty or not an object
 * @param jsonError why the non-empty body is not a JSON object; null otherwise
 */
record Exchange(String method, String path, String query, MultiMap headers, MultiMap params, String body,
        JsonObject json, String jsonError) {

    static Exchange of(HttpServerRequest request, String body) {
        String text = body == null ? "" : body;
        JsonObject json = null;
        String error = null;
        if (!text.isBlank()) {
            try {
                Object value = Json.decodeValue(text);
                if (value instanceof JsonObject o) {
                    json = o;
                } else {
                    error = "The request body must be a JSON object.";
                }
            } catch (DecodeException e) {
                error = "The request body is not valid JSON.";
            }
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        MultiMap params = MultiMap.caseInsensitiveMultiMap().addAll(request.params());
        return new Exchange(request.method().name(), request.path(), request.query(), headers, params, text, json,
                error);
    }

    String header(String name) {
        String v = headers.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    String param(String name) {
        return SandboxJson.param(params, name);
    }

    boolean hasBody() {
        return !body.isBlank();
    }

    /** A non-empty body with a Content-Type that is not JSON (application/json, application/json-patch+json, …). */
    boolean unsupportedMediaType() {
        String type = header("Content-Type");
        return hasBody() && type != null && !type.toLowerCase(java.util.Locale.ROOT).contains("json");
    }

    RecordedRequest record(String identity) {
        return new RecordedRequest(method, path, query, MultiMap.caseInsensitiveMultiMap().addAll(headers), body,
                identity);
    }
}
