package io.damoov.gateway.pipeline;

import java.util.function.Supplier;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

    /**
     * Buffers a request body up to {@code limit} bytes, taking each byte from {@code budget} first (a declared
     * length at once, a chunked body as it arrives): over the budget fails with 503, a body that has not arrived
     * {@code timeoutMillis} after the start with 408.
     */
    static Future<Buffer> read(HttpServerRequest request, long limit, BodyBudget.Reservation budget, Vertx vertx,
            long timeoutMillis) {
        String declared = request.getHeader("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(
                        new GatewayException(ProblemType.BAD_REQUEST, "bad-length", "Content-Length is not a number"));
            }
            if (length > limit) {
                return Future.failedFuture(tooLarge(limit));
            }
        }
        if (request.isEnded() || length == 0) {
            return Future.succeededFuture(Buffer.buffer(0));
        }
        if (length > 0) {
            GatewayException full = budget.take(length);
            if (full != null) {
                return Future.failedFuture(full);
            }
        }
        Promise<Buffer> promise = Promise.promise();
        // made at the first chunk: a request without a body (a GET that has not ended yet) allocates nothing
        Buffer[] body = new Buffer[1];
        int initial = length > 0 ? (int) length : 1024;
        boolean counted = length > 0;
        long timer = vertx.setTimer(timeoutMillis, id -> promise.tryFail(new GatewayException(
                ProblemType.REQUEST_TIMEOUT, "body-timeout", "The request body did not arrive within "
                        + timeoutMillis / 1000 + " s")));
        request.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if ((body[0] == null ? 0 : body[0].length()) + chunk.length() > limit) {
                promise.tryFail(tooLarge(limit));
                return;
            }
            GatewayException full = counted ? null : budget.take(chunk.length());
            if (full != null) {
                promise.tryFail(full);
            } else {
                if (body[0] == null) {
                    body[0] = Buffer.buffer(Math.max(initial, chunk.length()));
                }
                body[0].appendBuffer(chunk);
            }
        });
        request.endHandler(v -> promise.tryComplete(body[0] == null ? Buffer.buffer(0) : body[0]));
        request.exceptionHandler(promise::tryFail);
        request.resume();
        return promise.future().andThen(ar -> vertx.cancelTimer(timer));
    }

    /**
     * Buffers a (paused) stream up to {@code limit} bytes; beyond it fails with {@code over} and drops the rest as it
     * arrives.
     */
    public static Future<Buffer> read(ReadStream<Buffer> stream, long limit, Supplier<GatewayException> over) {
        Promise<Buffer> promise = Promise.promise();
        // a body that comes in one chunk (most answers) is that chunk, not a copy of it; a second chunk starts the
        // copy the rest is appended to
        Buffer[] body = new Buffer[2]; // [0] the first chunk, [1] the copy once there is one
        stream.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            Buffer sofar = body[1] != null ? body[1] : body[0];
            long length = (sofar == null ? 0 : sofar.length()) + chunk.length();
            if (length > limit) {
                promise.tryFail(over.get());
            } else if (sofar == null) {
                body[0] = chunk;
            } else {
                if (body[1] == null) {
                    body[1] = Buffer.buffer((int) Math.min(limit, 2 * length)).appendBuffer(body[0]);
                }
                body[1].appendBuffer(chunk);
            }
        });
        stream.endHandler(v -> promise.tryComplete(
                body[1] != null ? body[1] : body[0] != null ? body[0] : Buffer.buffer(0)));
        stream.exceptionHandler(promise::tryFail);
        stream.resume();
        return promise.future();
    }

    private static GatewayException tooLarge(long limit) {
        return new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, "body-too-large",
                "The request body exceeds " + limit + " bytes");
    }
}
