package io.damoov.gateway.pipeline;

import java.util.function.Supplier;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * Buffers a request body up to a limit, so it can be inspected and replayed after a token refresh. A declared or
 * actual size over the limit fails with 413 at once, without reading the rest. The same capped buffering serves
 * Damoov's answers that are inspected ({@link Respond}).
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
        return read(request, limit, () -> tooLarge(limit));
    }

    /**
     * Buffers a (paused) stream up to {@code limit} bytes; beyond it fails with {@code over} and drops the rest as it
     * arrives.
     */
    public static Future<Buffer> read(ReadStream<Buffer> stream, long limit, Supplier<GatewayException> over) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        stream.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                promise.tryFail(over.get());
            } else {
                body.appendBuffer(chunk);
            }
        });
        stream.endHandler(v -> promise.tryComplete(body));
        stream.exceptionHandler(promise::tryFail);
        stream.resume();
        return promise.future();
    }

    private static GatewayException tooLarge(long limit) {
        return new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, "body-too-large",
                "The request body exceeds " + limit + " bytes");
    }
}
