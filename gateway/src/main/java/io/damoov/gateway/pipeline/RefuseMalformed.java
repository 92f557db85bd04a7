package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;

/**
 * Refuses a request the HTTP server (Netty) could not decode: its head over {@code quarkus.http.limits.max-header-size}
 * (431), its request line over {@code max-initial-line-length} (414), or its framing ambiguous or malformed (400:
 * {@code Content-Length} with {@code Transfer-Encoding}, differing {@code Content-Length}s, a coding list not ending
 * in {@code chunked}, a header line Netty cannot read). The reason codes are {@link CheckFraming}'s where the case is
 * the same. Nothing of the request is read further: the connection is closed after the answer.
 */
@Singleton
class RefuseMalformed implements Step {

    @Override
    public Future<Void> apply(Exchange ex) {
        DecoderResult result = ex.request().decoderResult();
        Throwable cause = result == null ? null : result.cause();
        return ex.denyAndClose(refusal(cause));
    }

    /** The answer to a decoding failure; its detail never repeats what the client sent. */
    static GatewayException refusal(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return new GatewayException(ProblemType.HEAD_TOO_LARGE, "head-too-large",
                    "The request's headers exceed 16 KiB");
        }
        if (cause instanceof TooLongHttpLineException) {
            return new GatewayException(ProblemType.URI_TOO_LONG, "request-line-too-long",
                    "The request line exceeds the gateway's limit");
        }
        // Netty reports the framing cases as IllegalArgumentExceptions told apart only by their messages; a message
        // not recognised (a Netty upgrade rewording one) is still a 400, as malformed-request
        String message = cause == null ? "" : String.valueOf(cause.getMessage());
        if (message.contains("Content-Length") && message.contains("Transfer-Encoding")) {
            return CheckFraming.ambiguous(CheckFraming.AMBIGUOUS_LENGTH);
        }
        if (message.contains("Content-Length")) {
            return CheckFraming.ambiguous(CheckFraming.REPEATED_CONTENT_LENGTH);
        }
        if (message.contains("Transfer-Encoding") || message.contains("chunked")) {
            return CheckFraming.ambiguous(CheckFraming.BAD_TRANSFER_ENCODING);
        }
        return new GatewayException(ProblemType.BAD_REQUEST, "malformed-request", "The request's head cannot be read");
    }
}
