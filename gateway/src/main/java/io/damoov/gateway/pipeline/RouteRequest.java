package io.damoov.gateway.pipeline;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.outbound.UpstreamTarget;
import io.damoov.gateway.routing.CredentialKind;
import io.damoov.gateway.routing.Route;
import io.damoov.gateway.routing.RouteTable;
import io.vertx.core.Future;

/**
 * The first matching rule of the route table ({@link RouteTable}) picks the credential kind and the role it needs; an
 * unknown upstream or no match is 404. From here the caller's principal is the credential the route asked for:
 * {@code user}, {@code admin} or {@code device} (a denied route keeps {@code user}).
 */
@Singleton
class RouteRequest implements Step {

    private final RouteTable routes;
    private final Map<String, UpstreamTarget> upstreams;

    RouteRequest(RouteTable routes, GatewayConfig config) {
        this.routes = routes;
        Map<String, UpstreamTarget> targets = new HashMap<>();
        config.upstreams().forEach((name, url) -> {
            try {
                targets.put(name, UpstreamTarget.of(url));
            } catch (IllegalArgumentException e) {
                // not an http(s) URL: startup.ConfigValidator names the key and stops the start
            }
        });
        this.upstreams = Map.copyOf(targets);
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        UpstreamTarget target = upstreams.get(ex.path().upstream());
        Route route = target == null ? null
                : routes.match(ex.path().upstream(), ex.path().path(), ex.request().method().name()).orElse(null);
        if (route == null) {
            return Future.failedFuture(
                    new GatewayException(ProblemType.NOT_FOUND, "no-route", "No route matches this path and method"));
        }
        ex.routed(route, target);
        if (route.credential() == CredentialKind.DENY) {
            return ex.deny(new GatewayException(ProblemType.FORBIDDEN, "denied-route",
                    "This Damoov path is not available through the gateway"));
        }
        ex.principal(route.credential().label());
        if (route.role().isPresent() && !ex.caller().hasRole(route.role().get())) {
            return ex.deny(new GatewayException(ProblemType.FORBIDDEN, "missing-role",
                    "This route needs the role '" + route.role().get() + "'"));
        }
        return Future.succeededFuture();
    }
}
