package io.damoov.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;

/** The ordered, precompiled route table; first match wins. */
@Singleton
public class RouteTable {

    private final List<Route> routes;

    public RouteTable(GatewayConfig config) {
        this.routes = config.routes().map(RouteTable::compile).orElseGet(DefaultRoutes::routes);
    }

    static List<Route> compile(List<GatewayConfig.RouteRule> rules) {
        return rules.stream().map(r -> Route.compile(r.upstream(), r.path(),
                r.methods().orElse(Set.of()).stream().map(m -> m.toUpperCase(Locale.ROOT))
                        .collect(Collectors.toUnmodifiableSet()),
                CredentialKind.parse(r.credential()), r.role())).toList();
    }

    public Optional<Route> match(String upstream, String path, String method) {
        for (Route r : routes) {
            if (r.matches(upstream, path, method)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }
}
