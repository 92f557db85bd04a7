package io.damoov.gateway.edge;

import java.util.Map;

import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.pipeline.Pipelines;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * Hands the requests the HTTP server could not decode (ambiguous framing, a head over 16 KiB, a request line over
 * 4 KiB) to the gateway ({@link Pipelines#malformed}), so they get problem+json, a request id and an audit record
 * instead of Vert.x's empty 400/414/431.
 * <p>
 * Vert.x answers such a request with the server's {@code invalidRequestHandler}, which Quarkus 3.33 never sets and
 * offers no hook for. The connection reads that handler only after it has announced the request to the Vert.x tracer
 * ({@code Http1xServerConnection.handleMessage}: {@code handleBegin}, then the handler), so a tracer that, for a
 * request whose decoding failed, sets the connection's invalid-request handler, is heard for that very request. The
 * tracer does nothing else (no spans), and acts only on the public port's server: its options carry
 * {@link TracingPolicy#ALWAYS} ({@link HttpServerOptionsCustomizer} reaches the main server only), the management
 * interface keeps Vert.x's default. Should another tracer be configured (an OpenTelemetry extension), this one steps
 * aside and says so at startup.
 */
@Singleton
public class MalformedRequests implements VertxOptionsCustomizer, HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(MalformedRequests.class);

    private final Provider<Pipelines> pipelines;

    public MalformedRequests(Provider<Pipelines> pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void accept(VertxOptions options) {
        if (options.getTracingOptions() != null && options.getTracingOptions().getFactory() != null) {
            LOG.warn("A Vert.x tracer is configured: requests the HTTP server cannot decode get its empty answers");
            return;
        }
        Tracer tracer = new Tracer(this);
        options.setTracingOptions(new TracingOptions().setFactory(o -> tracer));
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setTracingPolicy(TracingPolicy.ALWAYS);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.setTracingPolicy(TracingPolicy.ALWAYS);
    }

    void refuse(HttpServerRequest request) {
        pipelines.get().malformed(request, RequestLogContext.enter(request));
    }

    /** Sets the gateway's handler on the connection of a public-port request whose decoding failed. */
    private static final class Tracer implements VertxTracer<Object, Object> {

        private final MalformedRequests owner;

        Tracer(MalformedRequests owner) {
            this.owner = owner;
        }

        @Override
        public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
                String operation, Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tagExtractor) {
            if (policy == TracingPolicy.ALWAYS && request instanceof HttpServerRequest r
                    && r.decoderResult().isFailure() && r.connection() instanceof HttpServerConnection c) {
                c.invalidRequestHandler(owner::refuse);
            }
            return null;
        }
    }
}
