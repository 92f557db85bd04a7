package io.damoov.gateway.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.damoov.gateway.store.Store;

/**
 * The store's state as a detail of readiness, not a reason to be unready: a replica that cannot reach the store still
 * serves every caller whose mapping and Damoov token it has cached (and answers the others 503 store-unavailable
 * with Retry-After), while all replicas taken out of the Service would serve no one. {@code reachable}: the store
 * answers a trivial query; {@code listening}: the replica receives the others' operator changes. Watch
 * {@code DamoovGatewayStoreUnreachable} instead (docs/operations.md, health).
 */
@Readiness
@Singleton
public class StoreReadiness implements HealthCheck {

    private final Store store;

    public StoreReadiness(Store store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        boolean reachable = store.ping();
        return HealthCheckResponse.named("store")
                .up()
                .withData("kind", store.kind())
                .withData("reachable", reachable)
                .withData("listening", store.listening())
                .build();
    }
}
