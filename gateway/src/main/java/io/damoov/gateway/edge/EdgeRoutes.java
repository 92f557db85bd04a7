package io.damoov.gateway.edge;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.Problems;
import io.damoov.gateway.core.RequestIds;
import io.damoov.gateway.pipeline.Pipelines;
import io.vertx.ext.web.Router;

/**
 * The public port: {@code GET /me} and everything else to the proxy. Registered on Quarkus's main router, so the
 * management interface (port 9000) never sees these routes and this port never sees the operator API.
 */
@Singleton
public class EdgeRoutes {

    private final Pipelines pipelines;

    public EdgeRoutes(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    void register(@Observes Router router) {
        router.get("/me").handler(ctx -> pipelines.me(ctx.request(), RequestLogContext.enter(ctx.request())));
        // the operator API lives on the management port only: here it is an unknown route, whoever asks
        router.route("/admin*").handler(ctx -> {
            String requestId = RequestIds.from(ctx.request().getHeader(RequestIds.HEADER));
            ctx.response().putHeader(RequestIds.HEADER, requestId);
            Problems.send(ctx.response(), new GatewayException(ProblemType.NOT_FOUND, "no-route",
                    "No route matches this path and method"), requestId, ctx.normalizedPath());
        });
        router.route().handler(ctx -> pipelines.proxy(ctx.request(), RequestLogContext.enter(ctx.request())));
    }
}
