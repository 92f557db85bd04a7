package io.damoov.gateway.core;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes RFC 9457 problem documents. */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    public static void send(HttpServerResponse response, GatewayException e, String requestId, String instance) {
        if (response.headWritten()) {
            response.reset();
            return;
        }
        ProblemType type = e.type();
        JsonObject body = new JsonObject()
                .put("type", type.uri())
                .put("title", type.title())
                .put("status", type.status())
                .put("detail", e.getMessage())
                .put("instance", instance)
                .put("requestId", requestId);
        e.retryAfter().ifPresent(d -> {
            long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            body.put("retryAfterSeconds", seconds);
        });
        if (type == ProblemType.UNAUTHORIZED || type == ProblemType.OPERATOR_UNAUTHORIZED) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.toBuffer());
    }
}
