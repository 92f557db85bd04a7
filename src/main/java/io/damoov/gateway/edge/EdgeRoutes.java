package io.damoov.gateway.edge;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.damoov.gateway.routing.ProxyHandler;
import io.vertx.ext.web.Router;

/**
 * The public port: {@code GET /me} and everything else to the proxy. Registered on Quarkus's main router, so the
 * management interface (port 9000) never sees these routes and this port never sees the operator API.
 */
@Singleton
public class EdgeRoutes {

    private final MeHandler me;
    private final ProxyHandler proxy;

    public EdgeRoutes(MeHandler me, ProxyHandler proxy) {
        this.me = me;
        this.proxy = proxy;
    }

    void register(@Observes Router router) {
        router.get("/me").handler(ctx -> {
            RequestLogContext.enter(ctx.request());
            me.handle(ctx.request());
        });
        router.route().handler(ctx -> {
            RequestLogContext.enter(ctx.request());
            proxy.handle(ctx.request());
        });
    }
}
