package io.damoov.gateway.edge;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.tenant.ClientAuthException;
import io.damoov.gateway.tenant.ClientAuthenticator;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /me} → {@code {tenant, subject, deviceToken, enrolledAt}}, enrolling the caller on first call. The
 * only response that carries a Damoov credential: the caller's own DeviceToken, for the Telematics SDK.
 */
@Singleton
public class MeHandler {

    private final ClientAuthenticator auth;
    private final Enrollments enrollments;
    private final GatewayMetrics metrics;

    public MeHandler(ClientAuthenticator auth, Enrollments enrollments, GatewayMetrics metrics) {
        this.auth = auth;
        this.enrollments = enrollments;
        this.metrics = metrics;
    }

    void handle(HttpServerRequest request) {
        String requestId = RequestIds.from(request.getHeader(RequestIds.HEADER));
        request.response().putHeader(RequestIds.HEADER, requestId);
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        auth.authenticate(request.getHeader("Authorization"))
                .compose(caller -> enrollments.mappingFor(caller, new AuditContext(caller.tenant().id(),
                        caller.subject(), requestId, ip, "me", "GET", "/me")))
                .onSuccess(m -> request.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(new JsonObject()
                                .put("tenant", m.tenant())
                                .put("subject", m.subject())
                                .put("deviceToken", m.deviceToken())
                                .put("enrolledAt", m.enrolledAt() == null ? null : m.enrolledAt().toString())
                                .toBuffer()))
                .onFailure(t -> {
                    GatewayException e = GatewayException.from(t);
                    if (e instanceof ClientAuthException c) {
                        metrics.denied(c.tenantId() == null ? "unknown" : c.tenantId(), c.reason());
                    }
                    Problems.send(request.response(), e, requestId, "/me");
                });
    }
}
