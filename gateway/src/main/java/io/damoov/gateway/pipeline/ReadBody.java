package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * The request body, buffered up to {@code gateway.max-body-size} (413 beyond) so that identifiers can be checked and
 * the request replayed after a renewal. Only this step reads it, after the caller is authenticated and the request
 * routed: until then the request is {@link #hold held} (paused, so Netty stops reading the socket once its buffers
 * fill), and a request answered before (401, 403, 404) never has its body buffered: what is left of it is drained
 * and dropped once the answer is sent, so the connection stays usable, for at most
 * {@code gateway.limits.body-read-timeout}, after which the connection is closed.
 * <p>
 * The bytes buffered count against the {@link BodyBudget} (503 over it) until the exchange ends; a body that does
 * not arrive within the body-read timeout is 408, and its connection closed after the answer.
 */
@Singleton
class ReadBody implements Step {

    private final long maxBody;
    private final long timeoutMillis;
    private final BodyBudget budget;
    private final Vertx vertx;

    ReadBody(GatewayConfig config, BodyBudget budget, Vertx vertx) {
        this.maxBody = config.maxBodySize().asLongValue();
        this.timeoutMillis = config.limits().bodyReadTimeout().toMillis();
        this.budget = budget;
        this.vertx = vertx;
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
        HttpServerRequest request = ex.request();
        BodyBudget.Reservation reservation = budget.open(request.connection());
        // the bytes are given back when the answer is sent, or when the connection closes before
        request.response().endHandler(v -> {
            reservation.release();
            drain(request);
        });
        request.response().closeHandler(v -> reservation.release());
        return BodyReader.read(request, maxBody, reservation, vertx, timeoutMillis).map(body -> {
            ex.bodyRead(body);
            return (Void) null;
        }).onFailure(t -> {
            reservation.release(); // nothing of it is kept
            if (t instanceof GatewayException g && g.type() == ProblemType.REQUEST_TIMEOUT) {
                request.response().putHeader("Connection", "close");
            }
        });
    }

    /**
     * Reads and drops what the client still sends after its answer, without buffering it; a client that has not
     * finished within the body-read timeout (or was told the connection closes) loses the connection.
     */
    private void drain(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        if ("close".equalsIgnoreCase(request.response().headers().get("Connection"))) {
            request.connection().close();
            return;
        }
        long timer = vertx.setTimer(timeoutMillis, id -> request.connection().close());
        request.handler(chunk -> {
        });
        request.exceptionHandler(t -> vertx.cancelTimer(timer));
        request.endHandler(v -> vertx.cancelTimer(timer));
        request.resume();
    }
}
