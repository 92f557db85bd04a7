package io.damoov.gateway.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Small helpers shared by the operator API's handlers: JSON answers, parameters, blocking work. */
final class AdminHttp {

    static final String REQUEST_ID = "requestId";

    private AdminHttp() {
    }

    static void json(RoutingContext ctx, int status, Object body) {
        json(ctx, status, io.vertx.core.json.Json.encodeToBuffer(body));
    }

    /** A body already encoded as JSON. */
    static void json(RoutingContext ctx, int status, Buffer body) {
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body);
    }

    /** Runs blocking work (the store) on a worker thread, then {@code then} on the event loop; failures → problem. */
    static <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> then) {
        ctx.vertx().<T> executeBlocking(work, false).onSuccess(result -> {
            try {
                then.accept(result);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        }).onFailure(ctx::fail);
    }

    static Tenant tenant(Tenants tenants, RoutingContext ctx) {
        String id = ctx.pathParam("tenant");
        return tenants.byId(id).orElseThrow(() -> unknown("unknown-tenant", "No tenant '" + id + "'"));
    }

    static GatewayException badRequest(String reason, String detail) {
        return new GatewayException(ProblemType.BAD_REQUEST, reason, detail);
    }

    static GatewayException unknown(String reason, String detail) {
        return new GatewayException(ProblemType.UNKNOWN_RESOURCE, reason, detail);
    }

    static int limit(RoutingContext ctx, int defaultLimit, int max) {
        String raw = ctx.request().getParam("limit");
        if (raw == null || raw.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw badRequest("bad-limit", "limit must be an integer from 1 to " + max);
    }

    /** An ISO-8601 instant parameter ({@code 2026-01-31T12:00:00Z}). */
    static Optional<Instant> instant(RoutingContext ctx, String name) {
        String raw = ctx.request().getParam(name);
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(raw));
        } catch (DateTimeParseException e) {
            throw badRequest("bad-time", name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    static String param(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The whole (small) request body, whether a body handler read it already or not. */
    static io.vertx.core.Future<io.vertx.core.buffer.Buffer> body(RoutingContext ctx) {
        if (ctx.body() != null && ctx.body().buffer() != null) {
            return io.vertx.core.Future.succeededFuture(ctx.body().buffer());
        }
        io.vertx.core.Future<io.vertx.core.buffer.Buffer> body = ctx.request().body();
        ctx.request().resume();
        return body;
    }

    static String requestId(RoutingContext ctx) {
        return ctx.get(REQUEST_ID);
    }

    static String clientIp(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }
}
