package io.damoov.gateway.admin;

import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.RequestIds;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every operator call: request id, then the operator key. No key → 401, a key that matches no
 * configured hash → 403; every refusal is an audit record ({@code deny}, route {@code admin}).
 */
@Singleton
public class OperatorGuard {

    private static final Pattern TENANT = Pattern.compile("^/admin/v1/tenants/([^/]+)/");

    private final OperatorKeys keys;
    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;

    public OperatorGuard(OperatorKeys keys, AuditLog audit, GatewayMetrics metrics, Clock clock) {
        this.keys = keys;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    void handle(RoutingContext ctx) {
        String requestId = RequestIds.from(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(AdminHttp.REQUEST_ID, requestId);
        ctx.response().putHeader(RequestIds.HEADER, requestId);
        OperatorKeys.Verdict verdict = keys.check(ctx.request().getHeader("Authorization"));
        if (verdict == OperatorKeys.Verdict.VALID) {
            if (ctx.request().method() == HttpMethod.PUT || ctx.request().method() == HttpMethod.POST) {
                ctx.request().pause(); // the body waits for the handler that reads it (streamed import, PUT)
            }
            ctx.next();
            return;
        }
        GatewayException refusal = verdict == OperatorKeys.Verdict.MISSING
                ? new GatewayException(ProblemType.OPERATOR_UNAUTHORIZED, "operator-key-missing",
                        "Operator calls need 'Authorization: Bearer <operator key>'")
                : new GatewayException(ProblemType.OPERATOR_FORBIDDEN, "operator-key-invalid",
                        "The operator key is not valid");
        Matcher m = TENANT.matcher(ctx.normalizedPath());
        String tenant = m.find() ? m.group(1) : null;
        metrics.denied("operator", refusal.reason()); // never a path value as a label
        audit.record(AuditRecord.of(AuditRecord.DENY).tenant(tenant).route("admin")
                .method(ctx.request().method().name()).path(ctx.normalizedPath()).status(refusal.type().status())
                .clientIp(AdminHttp.clientIp(ctx)).requestId(requestId).reason(refusal.reason()).build(clock));
        ctx.fail(refusal);
    }
}
