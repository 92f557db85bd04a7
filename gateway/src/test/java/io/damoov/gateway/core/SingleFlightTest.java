package io.damoov.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.vertx.core.runtime.VertxMDC;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.ContextInternal;

class SingleFlightTest {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** What a caller saw when its future completed: its own context and request id, or another's. */
    record Seen(String requestId, Context calledOn, Context completedOn, String mdcRequestId, Thread thread,
            Thread callerThread, String value) {
    }

    @Test
    void shouldCompleteEveryJoinerOnItsOwnContextWithItsOwnRequestIdWhenFiveRequestsShareOneCall() throws Exception {
        // Given: one call for the key that stays open until released, completed from a worker thread
        SingleFlight<String, String> flight = new SingleFlight<>();
        AtomicInteger calls = new AtomicInteger();
        Promise<String> upstream = Promise.promise();
        List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch joined = new CountDownLatch(5);
        CountDownLatch done = new CountDownLatch(5);

        // When: five requests, each on its own duplicated context of a different event loop, ask for the same key
        for (int i = 0; i < 5; i++) {
            String requestId = "request-" + i;
            ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
            request.runOnContext(v -> {
                VertxMDC.INSTANCE.put("requestId", requestId);
                Thread callerThread = Thread.currentThread();
                flight.run("identity", () -> {
                    calls.incrementAndGet();
                    return upstream.future();
                }).onComplete(ar -> {
                    seen.add(new Seen(requestId, request, Vertx.currentContext(), VertxMDC.INSTANCE.get("requestId"),
                            Thread.currentThread(), callerThread, ar.result()));
                    done.countDown();
                });
                joined.countDown();
            });
        }
        assertThat(joined.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(flight.size()).isEqualTo(1);
        vertx.executeBlocking(() -> upstream.tryComplete("token"), false);

        // Then: one call; every caller continued on the context it called from, with its own request id
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).hasValue(1);
        assertThat(seen).hasSize(5).allSatisfy(s -> {
            assertThat(s.completedOn()).as(s.requestId()).isSameAs(s.calledOn());
            assertThat(s.thread()).as(s.requestId()).isSameAs(s.callerThread());
            assertThat(s.mdcRequestId()).as(s.requestId()).isEqualTo(s.requestId());
            assertThat(s.value()).isEqualTo("token");
        });
        assertThat(flight.size()).isZero();
    }

    @Test
    void shouldStartANewCallWhenTheLastOneFailed() {
        SingleFlight<String, String> flight = new SingleFlight<>();
        AtomicInteger calls = new AtomicInteger();

        Future<String> first = flight.run("k", () -> {
            calls.incrementAndGet();
            return Future.failedFuture(new IllegalStateException("refused"));
        });
        Future<String> second = flight.run("k", () -> {
            calls.incrementAndGet();
            return Future.succeededFuture("ok");
        });

        assertThat(first.failed()).isTrue();
        assertThat(second.result()).isEqualTo("ok");
        assertThat(calls).hasValue(2);
    }

    @Test
    void shouldFailTheCallersWhenTheCallThrows() {
        SingleFlight<String, String> flight = new SingleFlight<>();

        Future<String> result = flight.run("k", () -> {
            throw new IllegalStateException("bug");
        });

        assertThat(result.failed()).isTrue();
        assertThat(flight.size()).isZero();
    }
}
