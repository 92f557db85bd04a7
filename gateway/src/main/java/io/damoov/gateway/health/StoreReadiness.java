package io.damoov.gateway.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.damoov.gateway.store.Store;

/** Ready when the store answers a trivial query within its validation timeout. */
@Readiness
@Singleton
public class StoreReadiness implements HealthCheck {

    private final Store store;

    public StoreReadiness(Store store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("store")
                .status(store.ping())
                .withData("kind", store.kind())
                .build();
    }
}
