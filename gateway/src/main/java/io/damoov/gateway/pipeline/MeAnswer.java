package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.store.UserMapping;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The last step of {@code GET /me}: {@code {tenant, subject, deviceToken, enrolledAt}}. The only answer that carries
 * a Damoov credential: the caller's own DeviceToken, for the Telematics SDK.
 */
@Singleton
class MeAnswer implements Step {

    @Override
    public Future<Void> apply(Exchange ex) {
        UserMapping m = ex.mapping();
        return ex.request().response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject()
                        .put("tenant", m.tenant())
                        .put("subject", m.subject())
                        .put("deviceToken", m.deviceToken())
                        .put("enrolledAt", m.enrolledAt() == null ? null : m.enrolledAt().toString())
                        .toBuffer());
    }
}
