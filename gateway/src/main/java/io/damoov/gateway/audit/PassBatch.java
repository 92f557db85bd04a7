package io.damoov.gateway.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.vertx.core.Promise;
import io.vertx.core.impl.ContextInternal;

/**
 * The audit records one event loop made in one pass over its ready connections, and the answers waiting for them.
 * The first record of a pass schedules {@link #run} on the loop, which runs it right after the pass: the records of
 * every exchange the pass completed are written with one call of the writer, then each answer goes out, on its own
 * Vert.x context (its MDC, its request). One instance per event loop thread, touched by that thread only.
 * <p>
 * A writer that throws (it reports a refused write by other means, so this is a bug or an {@link Error}) does not
 * lose the pass: each record is handed to {@code rescue} on its own, and the answers still go out, since holding
 * them would not bring the records back.
 */
final class PassBatch implements Runnable {

    private static final Logger LOG = Logger.getLogger(PassBatch.class);

    private final Consumer<List<AuditRecord>> writer;
    private final Consumer<AuditRecord> rescue;
    private final List<AuditRecord> records = new ArrayList<>();
    private final List<ContextInternal> contexts = new ArrayList<>();
    private final List<Promise<Void>> waiting = new ArrayList<>();
    private boolean scheduled;

    PassBatch(Consumer<List<AuditRecord>> writer, Consumer<AuditRecord> rescue) {
        this.writer = writer;
        this.rescue = rescue;
    }

    /** Adds a record made on {@code context}'s event loop (this thread); {@code written} completes after the write. */
    void add(AuditRecord record, ContextInternal context, Promise<Void> written) {
        records.add(record);
        contexts.add(context);
        waiting.add(written);
        if (!scheduled) {
            scheduled = true;
            try {
                context.nettyEventLoop().execute(this);
            } catch (Throwable shuttingDown) { // the loop takes no more tasks: write now
                run();
            }
        }
    }

    @Override
    public void run() {
        scheduled = false;
        List<AuditRecord> batch = List.copyOf(records);
        ContextInternal[] on = contexts.toArray(new ContextInternal[0]);
        @SuppressWarnings("unchecked")
        Promise<Void>[] answers = waiting.toArray(new Promise[0]);
        records.clear(); // a record made by an answer below starts the next pass
        contexts.clear();
        waiting.clear();
        try {
            writer.accept(batch);
        } catch (Throwable t) {
            LOG.errorf("Audit: writing %d records failed (%s); journalling them one by one", batch.size(),
                    t.getClass().getSimpleName());
            for (AuditRecord r : batch) {
                rescue.accept(r);
            }
        }
        for (int i = 0; i < answers.length; i++) {
            Promise<Void> answer = answers[i];
            on[i].dispatch(v -> answer.complete()); // dispatch reports what an answer throws; the others go on
        }
    }
}
