package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.vertx.core.Future;

/**
 * The request body, buffered up to {@code gateway.max-body-size} (413 beyond) so that identifiers can be checked and
 * the request replayed after a renewal. Buffering {@link #start starts} when the request arrives; this step waits for
 * it once the caller is authenticated.
 */
@Singleton
class ReadBody implements Step {

    private final long maxBody;

    ReadBody(GatewayConfig config) {
        this.maxBody = config.maxBodySize().asLongValue();
    }

    void start(Exchange ex) {
        ex.pendingBody(BodyReader.read(ex.request(), maxBody));
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        return ex.pendingBody().map(body -> {
            ex.bodyRead(body);
            return null;
        });
    }
}
