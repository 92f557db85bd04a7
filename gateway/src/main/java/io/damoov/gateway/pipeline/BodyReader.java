package io.damoov.gateway.pipeline;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Buffers a request body up to a limit, so it can be inspected and replayed after a token refresh. A declared or
 * actual size over the limit fails with 413 at once, without reading the rest.
 */
public final class BodyReader {

    private BodyReader() {
    }

    public static Future<Buffer> read(HttpServerRequest request, long limit) {
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    return Future.failedFuture(tooLarge(limit));
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(
                        new GatewayException(ProblemType.BAD_REQUEST, "bad-length", "Content-Length is not a number"));
            }
        }
        if (request.isEnded()) {
            return Future.succeededFuture(Buffer.buffer(0));
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                request.handler(null);
                promise.tryFail(tooLarge(limit));
            } else if (!promise.future().isComplete()) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> promise.tryComplete(body));
        request.exceptionHandler(promise::tryFail);
        request.resume();
        return promise.future();
    }

    private static GatewayException tooLarge(long limit) {
        return new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, "body-too-large",
                "The request body exceeds " + limit + " bytes");
    }
}
