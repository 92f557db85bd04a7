package io.damoov.gateway.pipeline;

import java.util.List;

import org.jboss.logging.Logger;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.Problems;
import io.damoov.gateway.core.RequestIds;
import io.vertx.core.Future;

/**
 * Runs an exchange through its steps in order; the first failure ends it with problem+json. Either way the
 * {@link AuditTrail} records it once the answer is sent.
 */
public final class Pipeline {

    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    private final List<Step> steps;
    private final AuditTrail trail;

    Pipeline(AuditTrail trail, Step... steps) {
        this.trail = trail;
        this.steps = List.of(steps);
    }

    public void run(Exchange ex) {
        ex.request().response().putHeader(RequestIds.HEADER, ex.requestId());
        Future<Void> done = Future.succeededFuture();
        for (Step step : steps) {
            done = done.compose(v -> step.apply(ex));
        }
        done.onComplete(ar -> {
            if (ar.succeeded()) {
                trail.finish(ex, ex.request().response().getStatusCode(), null);
                return;
            }
            GatewayException e = GatewayException.from(ar.cause());
            if (e.type() == ProblemType.INTERNAL) {
                LOG.errorf(ar.cause(), "Request %s failed unexpectedly", ex.requestId());
            }
            Problems.send(ex.request().response(), e, ex.requestId(), ex.auditPath());
            trail.finish(ex, e.type().status(), e.reason());
        });
    }
}
