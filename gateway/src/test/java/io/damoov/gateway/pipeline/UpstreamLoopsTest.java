package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.outbound.UpstreamTarget;
import io.damoov.gateway.support.GatewayTest;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Every event loop sends its requests to Damoov over connections of its own: a request's write and the events of its
 * answer stay on the thread that handles the client's connection. With one pool for all loops, busy loops were handed
 * each other's connections, and each such request crossed threads three times as queued tasks (an eighth of the
 * gateway's CPU time under load, bench/proxy/README.md §14).
 */
@QuarkusTest
class UpstreamLoopsTest extends GatewayTest {

    private static final int ROUNDS = 20;
    private static final int AT_ONCE = 8;

    @Inject
    UpstreamCall upstream;

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @Test
    void shouldSendEachLoopsRequestsOverThatLoopsOwnConnections() throws Exception {
        UpstreamTarget data = UpstreamTarget.of(config.upstreams().get("api"));
        VertxInternal vx = (VertxInternal) vertx;
        List<ContextInternal> loops = new ArrayList<>();
        for (EventExecutor loop : vx.getEventLoopGroup()) {
            loops.add(vx.createEventLoopContext((io.netty.channel.EventLoop) loop, null,
                    Thread.currentThread().getContextClassLoader()));
        }
        assertThat(loops).as("Quarkus runs more than one event loop").hasSizeGreaterThan(1);
        ConcurrentLinkedQueue<String> foreign = new ConcurrentLinkedQueue<>();
        int answered = 0;
        for (int round = 0; round < ROUNDS; round++) { // the loops at once, each with several requests in flight
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (ContextInternal loop : loops) {
                CompletableFuture<Integer> done = new CompletableFuture<>();
                all.add(done);
                loop.runOnContext(v -> {
                    List<Future<Void>> sent = new ArrayList<>();
                    for (int i = 0; i < AT_ONCE; i++) {
                        sent.add(upstream.send(HttpMethod.GET, data, "/v1/health", MultiMap.caseInsensitiveMultiMap(),
                                MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()).compose(resp -> {
                                    ContextInternal conn = ((ConnectionBase) resp.request().connection()).getContext();
                                    if (conn.nettyEventLoop() != loop.nettyEventLoop()) {
                                        foreign.add(conn.nettyEventLoop() + " for " + loop.nettyEventLoop());
                                    }
                                    resp.resume();
                                    return resp.end();
                                }));
                    }
                    Future.join(sent).onComplete(ar -> done.complete(
                            (int) sent.stream().filter(Future::succeeded).count()));
                });
            }
            for (CompletableFuture<Integer> done : all) {
                answered += done.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(answered).isEqualTo(ROUNDS * AT_ONCE * loops.size());
        assertThat(foreign).as("requests sent over another event loop's connection").isEmpty();
    }
}
