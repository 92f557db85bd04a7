package io.damoov.gateway.edge;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.tenant.Caller;
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
    private final AuditLog audit;
    private final Clock clock;

    public MeHandler(ClientAuthenticator auth, Enrollments enrollments, GatewayMetrics metrics, AuditLog audit,
            Clock clock) {
        this.auth = auth;
        this.enrollments = enrollments;
        this.metrics = metrics;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code requestId}: the request's settled id (RequestLogContext). */
    void handle(HttpServerRequest request, String requestId) {
        request.response().putHeader(RequestIds.HEADER, requestId);
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        long started = System.nanoTime();
        AtomicReference<Caller> known = new AtomicReference<>();
        auth.authenticate(request.getHeader("Authorization"))
                .compose(caller -> {
                    known.set(caller);
                    return enrollments.mappingFor(caller, new AuditContext(caller.tenant().id(), caller.subject(),
                            requestId, ip, "me", "GET", "/me"));
                })
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
                    Caller caller = known.get();
                    String tenant = caller != null ? caller.tenant().id()
                            : e instanceof ClientAuthException c && c.tenantId() != null ? c.tenantId() : "unknown";
                    if (e instanceof ClientAuthException) {
                        metrics.denied(tenant, e.reason());
                    }
                    Problems.send(request.response(), e, requestId, "/me");
                    ProblemType type = e.type();
                    if (type == ProblemType.UNAUTHORIZED || type == ProblemType.FORBIDDEN
                            || type == ProblemType.NOT_ENROLLED) {
                        audit.record(new AuditRecord(Ids.uuid7(), clock.instant(), tenant,
                                caller == null ? null : caller.subject(), null, AuditRecord.DENY, null, "me", "GET",
                                "/me", type.status(), 0, ip, requestId, (System.nanoTime() - started) / 1_000_000,
                                e.reason()));
                    }
                });
    }
}
