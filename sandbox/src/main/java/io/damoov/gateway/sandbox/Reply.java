package io.damoov.gateway.sandbox;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An answer of the sandbox: status, extra headers, body (null = empty body). */
record Reply(int status, MultiMap headers, String body) {

    static final String JSON = "application/json; charset=utf-8";

    /** Damoov envelope with a Result. */
    static Reply ok(Object result) {
        return envelope(200, result, true, "", new JsonArray());
    }

    /** Damoov envelope without Result (write calls with nothing to return). */
    static Reply okNoResult() {
        return envelope(200, null, false, "", new JsonArray());
    }

    static Reply error(int status) {
        return error(status, title(status), new JsonArray());
    }

    static Reply error(int status, String key, String message) {
        return error(status, title(status), new JsonArray().add(new JsonObject().put("Key", key).put("Message", message)));
    }

    static Reply error(int status, String title, JsonArray errors) {
        return envelope(status, null, true, title, errors);
    }

    static Reply validation(String key, String message) {
        return error(422, "One or more validation errors occurred.",
                new JsonArray().add(new JsonObject().put("Key", key).put("Message", message)));
    }

    static Reply envelope(int status, Object result, boolean withResult, String title, JsonArray errors) {
        JsonObject body = new JsonObject();
        if (withResult) {
            body.put("Result", result);
        }
        body.put("Status", status).put("Title", title).put("Errors", errors);
        return json(status, body.encode());
    }

    /** ASP.NET JWT bearer style 401: empty body and a WWW-Authenticate challenge. */
    static Reply bearerChallenge(String description) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("WWW-Authenticate",
                "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
        return new Reply(401, headers, null);
    }

    /** A page of Cloudflare in front of Damoov (a block, a rate limit, an origin error): HTML, not Damoov's JSON. */
    static Reply cloudflare(int status) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/html; charset=UTF-8")
                .add("Server", "cloudflare").add("CF-RAY", "8f0000000000000-FRA");
        if (status == 429) {
            headers.add("Retry-After", "30");
        }
        return new Reply(status, headers, "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title>"
                + "</head><body><h1>Error " + (status == 429 ? "1015" : "1020") + "</h1></body></html>");
    }

    static Reply json(int status, String body) {
        return new Reply(status, MultiMap.caseInsensitiveMultiMap().add("Content-Type", JSON), body);
    }

    Reply withHeader(String name, String value) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        copy.set(name, value);
        return new Reply(status, copy, body);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 422 -> "One or more validation errors occurred.";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 400 ? "Error" : "";
        };
    }
}
