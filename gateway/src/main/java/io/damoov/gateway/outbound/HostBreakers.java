package io.damoov.gateway.outbound;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.metrics.MetricNames;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * One {@link HostBreaker} per outbound host ({@code host:port}): the data calls of every upstream on that host, for
 * the {@code user} upstream's host Damoov's login, refresh and registration calls, and the JWKS fetches of every
 * tenant whose {@code jwks-url} is on that host share it ({@code gateway.circuit-breaker.*}).
 * {@code gateway_upstream_circuit_open{upstream}} shows, per configured upstream and, as {@code jwks:<tenant>}, per
 * tenant with a JWKS URL, whether its host's breaker refuses calls.
 */
@Singleton
public class HostBreakers {

    /** The {@code upstream} tag of a tenant's JWKS host on the breaker gauge: {@code jwks:<tenant id>}. */
    public static final String JWKS_PREFIX = "jwks:";

    private final Vertx vertx;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final boolean proxied;
    private final Map<String, HostBreaker> byHost = new ConcurrentHashMap<>();

    public HostBreakers(Vertx vertx, GatewayConfig config, GatewayMetrics metrics, OutboundOptions outbound) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.proxied = outbound.proxy().isPresent();
    }

    void registerGauges(@Observes StartupEvent event) {
        config.upstreams().forEach((name, url) -> {
            HostBreaker breaker = forUrl(url);
            metrics.gauge(MetricNames.UPSTREAM_CIRCUIT_OPEN,
                    "1 while the circuit breaker of the upstream's host refuses calls without trying", () -> breaker
                            .refusing() ? 1 : 0,
                    MetricNames.TAG_UPSTREAM, name);
        });
        config.tenants().forEach((id, tenant) -> tenant.jwksUrl().ifPresent(url -> {
            HostBreaker breaker = forUrl(url);
            metrics.gauge(MetricNames.UPSTREAM_CIRCUIT_OPEN,
                    "1 while the circuit breaker of the upstream's host refuses calls without trying", () -> breaker
                            .refusing() ? 1 : 0,
                    MetricNames.TAG_UPSTREAM, JWKS_PREFIX + id);
        }));
    }

    /** The breaker of {@code host} and {@code port}. */
    public HostBreaker forHost(String host, int port) {
        return byHost.computeIfAbsent(key(host, port), this::create);
    }

    /** The breaker of the host of an {@code http(s)} base URL. */
    public HostBreaker forUrl(String url) {
        UpstreamTarget target = UpstreamTarget.of(url);
        return forHost(target.host(), target.port());
    }

    private static String key(String host, int port) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private HostBreaker create(String host) {
        GatewayConfig.CircuitBreaker c = config.circuitBreaker();
        return new HostBreaker(vertx, host, c.enabled(), c.failureThreshold(), c.failureWindow(), c.delay(), proxied);
    }
}
