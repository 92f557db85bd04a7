package io.damoov.gateway.pipeline;

import java.util.List;

import org.jboss.logging.Logger;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.Problems;
import io.damoov.gateway.core.RequestIds;
import io.vertx.core.Future;

/**
 * Runs an exchange through its steps in order; the first failure ends it with problem+json, recorded by the
 * {@link AuditTrail} before it is sent. A full audit journal refuses the exchange before any step (503).
 */
public final class Pipeline {

    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    private static final java.time.Duration RETRY_WHEN_FULL = java.time.Duration.ofSeconds(5);

    private final List<Step> steps;
    private final AuditTrail trail;

    Pipeline(AuditTrail trail, Step... steps) {
        this.trail = trail;
        this.steps = List.of(steps);
    }

    public void run(Exchange ex) {
        ex.request().response().putHeader(RequestIds.HEADER, ex.requestId());
        if (!trail.accepting()) {
            fail(ex, new GatewayException(ProblemType.AUDIT_UNAVAILABLE, "audit-journal-full",
                    "The gateway's audit journal is full; try again later", RETRY_WHEN_FULL), null);
            return;
        }
        next(ex, 0);
    }

    /**
     * Runs the steps from {@code index} on: a step whose future is already complete (most of them: they decide on
     * the event loop) leads straight to the next, with no composed future per step; a pending one continues when it
     * completes, on the context it completes on. A step that throws fails the exchange as a failed future would.
     */
    private void next(Exchange ex, int index) {
        for (int i = index; i < steps.size(); i++) {
            Future<Void> step;
            try {
                step = steps.get(i).apply(ex);
            } catch (Throwable e) { // as Future.compose did: a throwing step is a failed one
                step = Future.failedFuture(e);
            }
            if (!step.isComplete()) {
                int following = i + 1;
                step.onComplete(ar -> {
                    if (ar.succeeded()) {
                        next(ex, following);
                    } else {
                        fail(ex, GatewayException.from(ar.cause()), ar.cause());
                    }
                });
                return;
            }
            if (step.failed()) {
                fail(ex, GatewayException.from(step.cause()), step.cause());
                return;
            }
        }
        trail.measure(ex, ex.request().response().getStatusCode());
    }

    private void fail(Exchange ex, GatewayException e, Throwable cause) {
        if (e.type() == ProblemType.INTERNAL) {
            LOG.errorf(cause, "Request %s failed unexpectedly", ex.requestId());
        }
        trail.record(ex, e.type().status(), e.reason()).onComplete(written -> {
            Problems.send(ex.request().response(), e, ex.requestId(), ex.auditPath());
            trail.measure(ex, e.type().status());
        });
    }
}
