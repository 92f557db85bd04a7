package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.routing.NormalizedPath;
import io.vertx.core.Future;

/** Decodes the path once and resolves dot segments before anything looks at it ({@link NormalizedPath}). */
@Singleton
class NormalizePath implements Step {

    @Override
    public Future<Void> apply(Exchange ex) {
        try {
            ex.normalized(NormalizedPath.of(ex.request().path()), ex.request().query());
            return Future.succeededFuture();
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
    }
}
