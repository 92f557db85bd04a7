package io.damoov.gateway.startup;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;
import io.quarkus.runtime.StartupEvent;

/**
 * Registers at start, with value 0 (availability 1), the meters that would otherwise appear only with their first
 * event: token refreshes and logins per tenant, principal and outcome, enrolments, denials by reason, and the
 * availability of every configured upstream. Dashboards then show 0 instead of "no data", and alerts built on
 * {@code increase()} fire on the first event. Timers ({@code gateway_requests_seconds},
 * {@code gateway_upstream_requests_seconds}) appear with the first request: their {@code status} is not known
 * before.
 */
@Singleton
public class MeterDefaults {

    private final GatewayMetrics metrics;
    private final Tenants tenants;
    private final GatewayConfig config;

    public MeterDefaults(GatewayMetrics metrics, Tenants tenants, GatewayConfig config) {
        this.metrics = metrics;
        this.tenants = tenants;
        this.config = config;
    }

    void register(@Observes StartupEvent event) {
        for (Tenant tenant : tenants.all()) {
            metrics.registerTenant(tenant.id());
        }
        metrics.registerUnknownTenant();
        config.upstreams().keySet().forEach(metrics::registerUpstream);
    }
}
