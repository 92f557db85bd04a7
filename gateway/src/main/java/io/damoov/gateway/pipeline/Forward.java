package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.token.DamoovToken;
import io.damoov.gateway.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Sends the request to Damoov over the pooled keep-alive client ({@link UpstreamCall}). A 401 to a Damoov JWT renews
 * it once ({@link TokenService#renew}) and replays the buffered request; a second 401 is 502
 * {@code upstream-credentials}, never 401, so the app does not sign its user out. From the first send the exchange
 * is a token use.
 */
@Singleton
class Forward implements Step {

    private final UpstreamCall upstream;
    private final TokenService tokens;
    private final GatewayMetrics metrics;

    Forward(UpstreamCall upstream, TokenService tokens, GatewayMetrics metrics) {
        this.upstream = upstream;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        return send(ex).compose(resp -> {
            if (resp.statusCode() != 401 || ex.token() == null) {
                return Future.succeededFuture(resp);
            }
            DamoovToken rejected = ex.token();
            return discard(resp).recover(t -> Future.failedFuture(UpstreamCall.map(t, false)))
                    .compose(ignored -> tokens.renew(Credential.keyOf(ex), rejected, ex.auditContext()))
                    .compose(fresh -> {
                        Credential.use(ex, fresh);
                        return send(ex);
                    });
        }).compose(resp -> {
            if (resp.statusCode() == 401) {
                discard(resp);
                return Future.failedFuture(new GatewayException(ProblemType.UPSTREAM_CREDENTIALS, "upstream-401",
                        ex.token() == null ? "Damoov refused the caller's DeviceToken credentials"
                                : "Damoov refused the gateway's credentials after a renewal"));
            }
            return Future.succeededFuture();
        });
    }

    private Future<HttpClientResponse> send(Exchange ex) {
        ex.outcome(Outcome.use());
        String query = ex.query();
        String uri = ex.path().encodedPath() + (query == null || query.isEmpty() ? "" : "?" + query);
        long started = System.nanoTime();
        return upstream.send(ex.request().method(), ex.target(), uri, ex.clientHeaders(), ex.upstreamHeaders(),
                ex.body()).andThen(ar -> {
                    int status = ar.succeeded() ? ar.result().statusCode() : 0;
                    ex.answered(ar.succeeded() ? ar.result() : null, status);
                    metrics.upstream(ex.path().upstream(), status, System.nanoTime() - started);
                    if (ar.failed()) {
                        metrics.upstreamFailure(ex.path().upstream(), GatewayException.from(ar.cause()).type());
                    }
                });
    }

    /** Reads and drops a (paused) response body, so its connection goes back to the pool. */
    static Future<Buffer> discard(HttpClientResponse resp) {
        Future<Buffer> body = resp.body();
        resp.resume();
        return body;
    }
}
