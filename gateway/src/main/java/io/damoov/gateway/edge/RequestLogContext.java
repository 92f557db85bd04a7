package io.damoov.gateway.edge;

import org.jboss.logging.MDC;

import io.damoov.gateway.core.RequestIds;
import io.vertx.core.http.HttpServerRequest;

/**
 * Puts the request id into the logging MDC ({@value #MDC_KEY}) for every log line written while a client request is
 * handled, including on the worker threads it hands blocking work to.
 * <p>
 * Quarkus backs the JBoss Logging MDC with {@code io.quarkus.vertx.core.runtime.VertxMDC}: on a Vert.x duplicated
 * context (each HTTP request gets its own) the values live in the context's local data, not in a thread local, so
 * they follow the request across event-loop callbacks and {@code executeBlocking}, and never leak into another
 * request served by the same event-loop thread. The JSON console log prints them under {@code mdc}.
 */
public final class RequestLogContext {

    public static final String MDC_KEY = "requestId";

    private RequestLogContext() {
    }

    /**
     * Settles the request id of a client request (a valid incoming {@code X-Request-Id}, else a new one), writes it
     * back into the request's headers so that every later reader sees the same id, and puts it into the MDC.
     */
    public static String enter(HttpServerRequest request) {
        String id = RequestIds.from(request.getHeader(RequestIds.HEADER));
        request.headers().set(RequestIds.HEADER, id);
        MDC.put(MDC_KEY, id);
        return id;
    }
}
