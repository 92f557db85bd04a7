package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Sends Damoov's answer back: its status, its headers less Damoov credentials and hop-by-hop headers
 * ({@link Headers#forwardResponse}), and its body: the one {@link ResponseHygiene} inspected, or else as it arrives.
 * The exchange ends when the body is through, or when either side broke off (the client's stream is then reset,
 * never ended as if the body were whole).
 */
@Singleton
class Respond implements Step {

    @Override
    public Future<Void> apply(Exchange ex) {
        HttpClientResponse resp = ex.upstreamResponse();
        if (ex.inspectedAnswer() != null) {
            return send(ex, resp, ex.inspectedAnswer());
        }
        HttpServerResponse response = head(ex, resp);
        if (resp.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        // a body that breaks off upstream resets the client's stream instead of ending it as if it were whole
        return resp.pipe().endOnFailure(false).to(response).recover(t -> {
            response.reset();
            return Future.succeededFuture();
        });
    }

    private static Future<Void> send(Exchange ex, HttpClientResponse resp, Buffer body) {
        HttpServerResponse response = head(ex, resp);
        response.headers().remove("Content-Length");
        return response.end(body).otherwiseEmpty();
    }

    private static HttpServerResponse head(Exchange ex, HttpClientResponse resp) {
        HttpServerResponse response = ex.request().response();
        response.setStatusCode(resp.statusCode());
        Headers.forwardResponse(resp.headers(), response.headers());
        return response;
    }
}
