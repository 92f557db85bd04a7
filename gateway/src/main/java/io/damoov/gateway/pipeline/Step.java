package io.damoov.gateway.pipeline;

import io.vertx.core.Future;

/**
 * One step of the request path. It reads what earlier steps decided from the {@link Exchange}, decides its own part,
 * and completes on the request's own Vert.x context. A failed future ends the exchange: its
 * {@code GatewayException} is the problem+json answer.
 */
@FunctionalInterface
public interface Step {

    Future<Void> apply(Exchange ex);
}
