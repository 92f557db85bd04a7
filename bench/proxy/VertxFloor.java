import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The benchmark's floor for a JVM proxy built like the gateway (bench/proxy/README.md, "vertx-floor"): Vert.x core
 * alone, no Quarkus, no client-JWT check, routing, token lookup, metrics or audit. It does what the nginx-proxy
 * target does (forward the client's headers minus hop-by-hop ones, set {@code Authorization} and
 * {@code X-Request-Id}, stream the answer back) with the gateway's Vert.x settings: as many event loops and server
 * instances as Quarkus starts (2 × cores), one keep-alive client with the gateway's pool of 512 connections.
 * The gap between this and nginx is what the stack costs on this machine; the gap between this and the gateway is
 * what the gateway's own work costs. NIO like the shipped gateway (see main).
 *
 * <p>Usage: {@code java -cp 'gateway/target/quarkus-app/lib/main/*:classes' VertxFloor PORT UPSTREAM_PORT TOKEN}.
 */
public final class VertxFloor {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
    /** Client headers that do not go upstream: hop-by-hop ones and those this proxy sets itself. */
    private static final Set<String> DROPPED_REQUEST = caseInsensitive(HOP_BY_HOP,
            Set.of("authorization", "host", "content-length", "x-request-id"));
    private static final Set<String> DROPPED_RESPONSE = caseInsensitive(HOP_BY_HOP, Set.of());

    private static Set<String> caseInsensitive(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        String authorization = "Bearer " + args[2];
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        // the gateway's transport: NIO as shipped; -Dfloor.native-transport=true prefers Netty's native epoll (when
        // netty-transport-native-epoll is on the class path, see bench/proxy/README.md §10)
        boolean preferNative = Boolean.getBoolean("floor.native-transport");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(preferNative));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setKeepAliveTimeout(60).setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(512).setMaxWaitQueueSize(-1));
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                        .requestHandler(req -> proxy(req, client, upstreamPort, authorization))
                        .listen(port, "127.0.0.1");
            }
        }, new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("vertx-floor listening on " + port + ", network transport: "
                        + (vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO")))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }

    private static void proxy(HttpServerRequest req, HttpClient client, int upstreamPort, String authorization) {
        RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
                .setPort(upstreamPort).setURI(req.uri()).setIdleTimeout(30_000);
        req.body()
                .compose(body -> client.request(options).compose(up -> {
                    for (var e : req.headers()) {
                        if (!DROPPED_REQUEST.contains(e.getKey())) {
                            up.headers().add(e.getKey(), e.getValue());
                        }
                    }
                    up.putHeader("Authorization", authorization).putHeader("X-Request-Id", UUID.randomUUID().toString());
                    return body.length() > 0 ? up.send(body) : up.send();
                }))
                .onSuccess(resp -> {
                    var out = req.response().setStatusCode(resp.statusCode());
                    for (var e : resp.headers()) {
                        if (!DROPPED_RESPONSE.contains(e.getKey())) {
                            out.headers().add(e.getKey(), e.getValue());
                        }
                    }
                    if (resp.getHeader("Content-Length") == null) {
                        out.setChunked(true);
                    }
                    resp.pipeTo(out);
                })
                .onFailure(t -> req.response().setStatusCode(502).end());
    }
}
