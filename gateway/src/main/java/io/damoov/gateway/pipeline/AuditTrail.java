package io.damoov.gateway.pipeline;

import java.time.Clock;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;

/**
 * The one place an exchange becomes an audit record and metrics. As a step it stands right before the last one, so
 * the record of an exchange with an {@link Outcome} (and the denial counter for a denial) is in the audit journal
 * before any byte of the answer is sent: a killed process loses no record of an answered request. Its
 * {@code latencyMs} is the time to the answer's head. A failed exchange is recorded before its problem+json. The
 * request timer covers the whole exchange, measured when the answer is through.
 */
@Singleton
class AuditTrail implements Step {

    private static final String UNKNOWN = "unknown";

    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;

    AuditTrail(AuditLog audit, GatewayMetrics metrics, Clock clock) {
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        return record(ex, ex.upstreamResponse() != null ? ex.upstreamResponse().statusCode() : 200, null);
    }

    /** False when the audit journal is full: the pipeline then refuses the request. */
    boolean accepting() {
        return audit.accepting();
    }

    /** The request timer, once the answer is through. */
    void measure(Exchange ex, int status) {
        metrics.request(tenant(ex), ex.routeId(), status, System.nanoTime() - ex.startNanos());
    }

    /**
     * Journals the exchange's record, once; {@code failure} is the gateway's reason code, if it failed. Completes
     * once the record is written: the answer is sent then, not before.
     */
    Future<Void> record(Exchange ex, int status, String failure) {
        Outcome outcome = ex.outcome();
        if (outcome == null || !ex.markRecorded()) {
            return Future.succeededFuture();
        }
        String tenant = tenant(ex);
        long nanos = System.nanoTime() - ex.startNanos();
        String reason = outcome.reason() != null ? outcome.reason() : failure;
        if (outcome.denied()) {
            metrics.denied(tenant, reason);
        }
        return audit.recordBeforeAnswer(AuditRecord.of(outcome.action())
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

    private static String tenant(Exchange ex) {
        return ex.tenantId() == null ? UNKNOWN : ex.tenantId();
    }
}
