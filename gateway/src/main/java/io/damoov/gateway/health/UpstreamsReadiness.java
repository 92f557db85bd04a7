package io.damoov.gateway.health;

import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.damoov.gateway.metrics.GatewayMetrics;

/**
 * Damoov's availability as seen by this replica ({@code gateway_upstream_available}): one data entry per configured
 * upstream, {@code "available"} or {@code "unavailable"} (the last call failed to connect or timed out), and
 * {@code unavailable} listing the latter. Always UP: an upstream outage is not this pod's fault, and an unready pod
 * would only turn the clients' 502s into connection refusals.
 */
@Readiness
@Singleton
public class UpstreamsReadiness implements HealthCheck {

    private final GatewayMetrics metrics;

    public UpstreamsReadiness(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("damoov-upstreams").up();
        StringBuilder unavailable = new StringBuilder();
        for (Map.Entry<String, Boolean> e : metrics.upstreamAvailability().entrySet()) {
            response.withData(e.getKey(), e.getValue() ? "available" : "unavailable");
            if (!e.getValue()) {
                unavailable.append(unavailable.isEmpty() ? "" : ",").append(e.getKey());
            }
        }
        return response.withData("unavailable", unavailable.toString()).build();
    }
}
