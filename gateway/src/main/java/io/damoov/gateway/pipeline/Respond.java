package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams Damoov's answer back: its status, its headers less Damoov credentials and hop-by-hop headers
 * ({@link Headers#forwardResponse}), and its body as it arrives. The exchange ends when the body is through (or the
 * client went away).
 */
@Singleton
class Respond implements Step {

    @Override
    public Future<Void> apply(Exchange ex) {
        HttpClientResponse resp = ex.upstreamResponse();
        HttpServerResponse response = ex.request().response();
        response.setStatusCode(resp.statusCode());
        Headers.forwardResponse(resp.headers(), response.headers());
        if (resp.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        return resp.pipeTo(response).otherwiseEmpty();
    }
}
