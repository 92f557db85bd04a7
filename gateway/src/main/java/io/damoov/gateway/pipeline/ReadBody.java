package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * The request body, buffered up to {@code gateway.max-body-size} (413 beyond) so that identifiers can be checked and
 * the request replayed after a renewal. Only this step reads it, after the caller is authenticated and the request
 * routed: until then the request is {@link #hold held} (paused, so Netty stops reading the socket once its buffers
 * fill), and a request answered before (401, 403, 404) never has its body buffered: what is left of it is drained
 * and dropped once the answer is sent, so the connection stays usable.
 */
@Singleton
class ReadBody implements Step {

    private final long maxBody;

    ReadBody(GatewayConfig config) {
        this.maxBody = config.maxBodySize().asLongValue();
    }

    /** Called when the request arrives: nothing of the body is read before {@link #apply}. */
    void hold(Exchange ex) {
        HttpServerRequest request = ex.request();
        if (!request.isEnded()) {
            request.pause();
            request.response().endHandler(v -> drain(request));
        }
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        return BodyReader.read(ex.request(), maxBody).map(body -> {
            ex.bodyRead(body);
            return null;
        });
    }

    /** Reads and drops what the client still sends after its answer, without buffering it. */
    private static void drain(HttpServerRequest request) {
        if (!request.isEnded()) {
            request.handler(chunk -> {
            });
            request.exceptionHandler(t -> {
            });
            request.resume();
        }
    }
}
