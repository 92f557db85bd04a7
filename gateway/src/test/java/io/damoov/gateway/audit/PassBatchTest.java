package io.damoov.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * The records of one pass of an event loop: written with one call after the pass, each answer after that write and
 * on its own context, nothing lost when the write throws, a record made by an answer in the next pass.
 */
class PassBatchTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void shouldWriteThePassesRecordsWithOneCallAfterThePassAndAnswerEachOnItsOwnContextAfterIt() {
        List<List<AuditRecord>> writes = Collections.synchronizedList(new ArrayList<>());
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger writtenDuringThePass = new AtomicInteger(-1);
        ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();

        loop.runOnContext(v -> {
            PassBatch batch = new PassBatch(writes::add, r -> answered.add("rescued " + r.requestId()));
            for (int i = 0; i < 3; i++) {
                ContextInternal exchange = loop.duplicate(); // as each request has its own
                String id = "r" + i;
                Promise<Void> written = Promise.promise();
                exchange.dispatch(x -> batch.add(record(id), exchange, written));
                written.future().onComplete(ar -> answered.add(id + (ar.succeeded() ? " ok" : " failed")
                        + (Vertx.currentContext() == exchange ? " on its context" : " elsewhere")
                        + " after " + writes.size() + " write(s)"));
            }
            writtenDuringThePass.set(writes.size());
        });

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answered.size() == 3);
        assertThat(writtenDuringThePass.get()).isZero();
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0)).extracting(AuditRecord::requestId).containsExactly("r0", "r1", "r2");
        assertThat(answered).containsExactly("r0 ok on its context after 1 write(s)",
                "r1 ok on its context after 1 write(s)", "r2 ok on its context after 1 write(s)");
    }

    @Test
    void shouldHandEachRecordToTheRescueAndStillAnswerWhenTheWriteThrows() {
        List<String> rescued = Collections.synchronizedList(new ArrayList<>());
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        Consumer<List<AuditRecord>> broken = records -> {
            throw new IllegalStateException("a bug in the writer");
        };
        ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();

        loop.runOnContext(v -> {
            PassBatch batch = new PassBatch(broken, r -> rescued.add(r.requestId()));
            for (int i = 0; i < 2; i++) {
                String id = "r" + i;
                Promise<Void> written = Promise.promise();
                batch.add(record(id), loop, written);
                written.future().onSuccess(x -> answered.add(id));
            }
        });

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answered.size() == 2);
        assertThat(rescued).containsExactly("r0", "r1");
    }

    @Test
    void shouldWriteARecordMadeByAnAnswerInTheNextPass() {
        List<List<AuditRecord>> writes = Collections.synchronizedList(new ArrayList<>());
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();

        loop.runOnContext(v -> {
            PassBatch batch = new PassBatch(writes::add, r -> {
            });
            Promise<Void> first = Promise.promise();
            batch.add(record("first"), loop, first);
            first.future().onSuccess(x -> {
                answered.add("first");
                Promise<Void> second = Promise.promise();
                batch.add(record("second"), loop, second);
                second.future().onSuccess(y -> answered.add("second"));
            });
        });

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answered.size() == 2);
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1)).extracting(AuditRecord::requestId).containsExactly("second");
    }

    private static AuditRecord record(String requestId) {
        return AuditRecord.of(AuditRecord.USE).tenant("acme").subject("s").route("r").method("GET").path("/p")
                .status(200).requestId(requestId).build(Clock.systemUTC());
    }
}
