package io.damoov.gateway.token;

import java.time.Clock;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.TokenKey;

/** Audit records and metrics of the token lifecycle: one of each per refresh, login or throttled login. */
@Singleton
class TokenEvents {
    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;

    TokenEvents(AuditLog audit, GatewayMetrics metrics, Clock clock) {
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    void refresh(TokenKey key, AuditContext ctx, String fingerprint, String outcome, int upstreamStatus) {
        metrics.refresh(key.tenant(), key.principal(), outcome);
        record(key, ctx, AuditRecord.REFRESH, fingerprint, upstreamStatus,
                "success".equals(outcome) ? null : "refresh-" + outcome);
    }

    void login(TokenKey key, AuditContext ctx, String fingerprint, String outcome, int upstreamStatus,
            String reason) {
        metrics.login(key.tenant(), key.principal(), outcome);
        record(key, ctx, "throttled".equals(outcome) ? AuditRecord.THROTTLE : AuditRecord.LOGIN, fingerprint,
                upstreamStatus, reason);
    }

    void throttled(TokenKey key, AuditContext ctx, String reason) {
        metrics.login(key.tenant(), key.principal(), "throttled");
        record(key, ctx, AuditRecord.THROTTLE, null, 0, reason);
    }

    private void record(TokenKey key, AuditContext ctx, String action, String fingerprint, int upstreamStatus,
            String reason) {
        audit.record(AuditRecord.of(action).context(ctx).tenant(key.tenant()).principal(key.principal())
                .tokenFingerprint(fingerprint).upstreamStatus(upstreamStatus).reason(reason).build(clock));
    }
}
