package io.damoov.gateway.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.outbound.HostBreaker;
import io.damoov.gateway.outbound.HostBreakers;
import io.damoov.gateway.outbound.OutboundOptions;
import io.damoov.gateway.outbound.TlsMaterial;
import io.damoov.gateway.outbound.UpstreamFailure;
import io.damoov.gateway.outbound.UpstreamTarget;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;

/**
 * Pooled, keep-alive Vert.x HTTP clients for every upstream, one per event loop (Vert.x defaults to 5 connections
 * per host, far too few for a proxy: {@code gateway.upstream-pool-size}, shared out between the loops), set up by
 * {@link OutboundOptions} (TLS registry entry
 * {@code gateway.upstream-tls-configuration-name}, SNI, host-name verification, egress proxy). Connection, TLS and
 * proxy failures → 502 of their own types ({@link UpstreamFailure}); no answer within
 * {@code gateway.upstream-timeout} → 504. An idempotent request whose connection closed before any answer is sent
 * once more on a new connection. Every call goes through its host's circuit breaker ({@link HostBreakers}):
 * while it is open, 503 {@code upstream-circuit-open} without a connection attempt.
 */
@Singleton
public class UpstreamCall {

    /** The methods a request of which may be sent again when its connection closed without an answer. */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private final VertxInternal vertx;
    /** One client, with a pool of its own, per event loop: see {@link #client()}. */
    private final Map<EventExecutor, LoopClient> byLoop = new HashMap<>();
    private final List<LoopClient> loopClients = new ArrayList<>();
    private final GatewayConfig config;
    private final OutboundOptions outbound;
    private final TlsMaterial tlsMaterial;
    private final long idleTimeoutMillis;
    private final boolean proxied;
    private final Headers headers;
    private final HostBreakers breakers;
    private final Map<UpstreamTarget, HostBreaker> breakerOf = new ConcurrentHashMap<>();

    public UpstreamCall(Vertx vertx, GatewayConfig config, OutboundOptions outbound, HostBreakers breakers) {
        this.breakers = breakers;
        this.config = config;
        this.outbound = outbound;
        this.tlsMaterial = new TlsMaterial(outbound, config.upstreamTlsConfigurationName());
        this.idleTimeoutMillis = config.upstreamTimeout().toMillis();
        this.proxied = outbound.proxy().isPresent();
        this.headers = Headers.allowing(config.forwardHeaders().orElse(java.util.List.of()));
        this.vertx = (VertxInternal) vertx;
        List<EventExecutor> loops = new ArrayList<>();
        this.vertx.getEventLoopGroup().forEach(loops::add);
        int size = config.upstreamPoolSize();
        for (int i = 0; i < loops.size(); i++) { // the configured bound, shared out (at least one each)
            int share = Math.max(1, size / loops.size() + (i < size % loops.size() ? 1 : 0));
            LoopClient client = new LoopClient(vertx.createHttpClient(options(), pool(share)), share,
                    new AtomicInteger());
            byLoop.put(loops.get(i), client);
            loopClients.add(client);
        }
    }

    /** An event loop's client, its share of {@code gateway.upstream-pool-size} and the requests it has under way. */
    private record LoopClient(HttpClient http, int share, AtomicInteger inFlight) {

        int room() {
            return share - inFlight.get();
        }
    }

    private HttpClientOptions options() {
        return outbound.apply(new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAliveTimeout(60)
                .setDecompressionSupported(false), config.upstreamTlsConfigurationName());
    }

    private static PoolOptions pool(int size) {
        return new PoolOptions().setHttp1MaxSize(size).setMaxWaitQueueSize(-1);
    }

    /**
     * The client of the calling context's event loop. Each loop has a pool of its own, so a request and its upstream
     * connection are handled by the same thread: with one pool for all loops, a loop is handed connections of
     * another, and the request's write and every event of its answer then cross threads as queued tasks (measured:
     * an eighth of the gateway's CPU time, bench/proxy/README.md §14). Only when the loop has as many requests under
     * way as its share of connections does a request take the pool of the loop with the most room (traffic that
     * arrives over few client connections, an ingress's, lands on few loops): the pool size stays the bound of them
     * all. A caller off any context gets a loop of its own from Vert.x.
     */
    private LoopClient client() {
        ContextInternal context = vertx.getOrCreateContext();
        LoopClient own = byLoop.get(context.nettyEventLoop()); // every context runs on a loop of this group
        if (own.room() > 0) {
            return own;
        }
        LoopClient best = own;
        for (LoopClient c : loopClients) {
            if (c.room() > best.room()) {
                best = c;
            }
        }
        return best;
    }

    /**
     * A reload of the registry entry ({@code quarkus.tls.<name>.reload-period}) that brought other certificates:
     * new connections use them; pooled ones keep the session they have until they close.
     */
    void onCertificateUpdated(@Observes CertificateUpdatedEvent event) {
        if (tlsMaterial.changedBy(event)) {
            var ssl = options().getSslOptions();
            List<Future<Boolean>> updated = clients().stream().map(c -> c.updateSSLOptions(ssl, true)).toList();
            Future.all(updated).onComplete(ar -> OutboundOptions.logReload("the Damoov hosts", event.name(),
                    ar.failed() ? ar.cause() : null));
        }
    }

    /**
     * Sends once to {@code target}, {@code pathAndQuery} after its base path, with the client's headers that may
     * pass (the allow-list, {@link Headers#forwardRequest}) and the gateway's own; the response is paused so the caller decides
     * to
     * stream or discard it.
     */
    public Future<HttpClientResponse> send(HttpMethod method, UpstreamTarget target, String pathAndQuery,
            MultiMap clientHeaders, MultiMap gatewayHeaders, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(target.host())
                .setPort(target.port()).setSsl(target.ssl()).setURI(target.basePath() + pathAndQuery)
                .setHeaders(gatewayHeaders).setIdleTimeout(idleTimeoutMillis);
        HostBreaker breaker = breakerOf.computeIfAbsent(target, t -> breakers.forHost(t.host(), t.port()));
        return breaker.call(() -> sendOnce(options, clientHeaders, body)
                .recover(t -> closedWithoutAnswer(t) && IDEMPOTENT.contains(method)
                        ? sendOnce(options, clientHeaders, body)
                        : Future.failedFuture(t))
                .recover(t -> Future.failedFuture(map(t, proxied))));
    }

    private Future<HttpClientResponse> sendOnce(RequestOptions options, MultiMap clientHeaders, Buffer body) {
        LoopClient client = client();
        client.inFlight().incrementAndGet(); // until the answer has ended, or the request failed
        return client.http().request(options)
                .compose(req -> {
                    headers.forwardRequest(clientHeaders, req.headers());
                    return body.length() > 0 ? req.send(body) : req.send();
                })
                .map(resp -> {
                    resp.pause();
                    resp.end().onComplete(ended -> client.inFlight().decrementAndGet());
                    return resp;
                })
                .onFailure(t -> client.inFlight().decrementAndGet());
    }

    /**
     * The connection closed before any byte of an answer: typically a pooled keep-alive connection the upstream
     * dropped (its idle timeout, a load balancer, a renewed certificate) while the request was on its way. An
     * idempotent request is then sent once more, on a new connection (RFC 9110 §9.2.2); any other may have been acted
     * on, and fails.
     */
    static boolean closedWithoutAnswer(Throwable t) {
        return t instanceof HttpClosedException;
    }

    /** The failure told apart ({@link UpstreamFailure}); the detail names no host, credential or proxy. */
    static GatewayException map(Throwable t, boolean proxied) {
        if (t instanceof GatewayException g) {
            return g;
        }
        ProblemType type = UpstreamFailure.classify(t, proxied);
        String code = switch (type) {
            case GATEWAY_TIMEOUT -> "upstream-timeout";
            case BAD_GATEWAY -> "upstream-unreachable";
            default -> type.slug();
        };
        return new GatewayException(type, code, type.title());
    }

    @PreDestroy
    void close() {
        clients().forEach(HttpClient::close);
    }

    private List<HttpClient> clients() {
        return loopClients.stream().map(LoopClient::http).toList();
    }
}
