package io.damoov.gateway.pipeline;

import java.time.Clock;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.metrics.GatewayMetrics;

/**
 * The one place an exchange becomes metrics and an audit record: the request timer for every exchange, and for an
 * exchange with an {@link Outcome} its record (and the denial counter for a denial), built from what the steps
 * decided.
 */
@Singleton
class AuditTrail {

    private static final String UNKNOWN = "unknown";

    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;

    AuditTrail(AuditLog audit, GatewayMetrics metrics, Clock clock) {
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records the exchange once its answer is sent; {@code failure} is the gateway's reason code, if it failed. */
    void finish(Exchange ex, int status, String failure) {
        String tenant = ex.tenantId() == null ? UNKNOWN : ex.tenantId();
        long nanos = System.nanoTime() - ex.startNanos();
        metrics.request(tenant, ex.routeId(), status, nanos);
        Outcome outcome = ex.outcome();
        if (outcome == null) {
            return;
        }
        String reason = outcome.reason() != null ? outcome.reason() : failure;
        if (outcome.denied()) {
            metrics.denied(tenant, reason);
        }
        audit.record(AuditRecord.of(outcome.action())
                .tenant(tenant)
                .subject(ex.caller() == null ? null : ex.caller().subject())
                .principal(ex.principal())
                .tokenFingerprint(ex.fingerprint())
                .route(ex.auditRoute())
                .method(ex.request().method().name())
                .path(ex.auditPath())
                .status(status)
                .upstreamStatus(ex.upstreamStatus())
                .clientIp(ex.clientIp())
                .requestId(ex.requestId())
                .latencyMs(nanos / 1_000_000)
                .reason(reason)
                .build(clock));
    }
}
