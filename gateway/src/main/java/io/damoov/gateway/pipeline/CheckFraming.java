package io.damoov.gateway.pipeline;

import java.util.List;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.Future;

/**
 * Refuses a request whose body framing two parsers could read differently (docs/client-api.md, framing): a
 * {@code Transfer-Encoding} other than one {@code chunked}, {@code Transfer-Encoding} with {@code Content-Length},
 * or more than one {@code Content-Length}. 400, audited as a deny, and the connection is closed after the answer,
 * since what follows on it cannot be told apart from the body. (Netty refuses the grossest cases itself, before
 * the gateway sees the request: {@link RefuseMalformed} answers those.)
 */
@Singleton
class CheckFraming implements Step {

    static final String BAD_TRANSFER_ENCODING = "bad-transfer-encoding";
    static final String AMBIGUOUS_LENGTH = "ambiguous-length";
    static final String REPEATED_CONTENT_LENGTH = "repeated-content-length";

    /** The answer to a request whose body framing is ambiguous; never repeats what the client sent. */
    static GatewayException ambiguous(String reason) {
        return new GatewayException(ProblemType.BAD_REQUEST, reason,
                "The request's body framing is ambiguous (Transfer-Encoding / Content-Length)");
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        List<String> te = ex.clientHeaders().getAll("Transfer-Encoding");
        List<String> cl = ex.clientHeaders().getAll("Content-Length");
        String reason = null;
        if (te.size() > 1 || (te.size() == 1 && !te.get(0).trim().equalsIgnoreCase("chunked"))) {
            reason = BAD_TRANSFER_ENCODING;
        } else if (!te.isEmpty() && !cl.isEmpty()) {
            reason = AMBIGUOUS_LENGTH;
        } else if (cl.size() > 1) {
            reason = REPEATED_CONTENT_LENGTH;
        }
        if (reason == null) {
            return Future.succeededFuture();
        }
        return ex.denyAndClose(ambiguous(reason));
    }
}
