package io.damoov.gateway.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * The audit log. {@link #recordBeforeAnswer} appends a request's record to the local {@link AuditJournal} before the
 * request's response is sent, so a killed process loses nothing (one write for the records an event loop made in one
 * pass); one writer thread reads the journal in batches into the store ({@link AuditRecords}) and deletes what the
 * store holds. A store that is itself a local append-only file (the embedded store's, {@link AuditRecords#appendNow})
 * takes the records there and then instead, and the journal only holds what it could not take. Nothing is lost
 * silently:
 * <ul>
 * <li>the store down: the batch waits (backing off up to {@value #MAX_BACKOFF_MILLIS} ms), the rest stays in the
 * journal, no restart needed; a stop leaves it there for the next start;</li>
 * <li>a batch the store refuses for its data: retried record by record; a record refused on its own goes to the
 * dead-letter file, counted and logged (its id, never its values), and the others go on;</li>
 * <li>the journal full ({@code gateway.audit.journal-max-size}): {@link #accepting()} turns false and the gateway
 * refuses requests (503) rather than serve them unaudited; a record refused anyway is counted as dropped.</li>
 * </ul>
 */
@Startup
@Singleton
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final long LINGER_MILLIS = 20;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final AuditRecords store;
    private final Clock clock;
    private final int batchSize;
    private final AuditJournal journal;
    private final Counter written;
    private final Counter dropped;
    private final Counter spilled;
    private final Counter deadLettered;
    private final boolean enabled;
    private final Object writeLock = new Object();
    private final List<AuditRecord> held = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long oldestHeldMillis;
    private boolean heldFailed;
    private Thread writer;
    /**
     * Each event loop's records not yet written, by loop thread: only that thread touches its own. A map of this
     * log's, not a thread-local, so a log that is replaced (dev mode's live reload) leaves nothing on the threads.
     */
    private final Map<Thread, PassBatch> passes = new ConcurrentHashMap<>();

    public AuditLog(AuditRecords store, GatewayConfig config, GatewayMetrics metrics, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.enabled = config.audit().enabled();
        this.batchSize = config.audit().batchSize();
        try {
            this.journal = AuditJournal.open(Path.of(config.audit().journal()),
                    config.audit().journalSegmentSize().asLongValue(), config.audit().journalMaxSize().asLongValue());
        } catch (IOException e) {
            throw new IllegalStateException("The audit journal at gateway.audit.journal cannot be opened: "
                    + e.getClass().getSimpleName(), e);
        }
        this.written = metrics.counter(MetricNames.AUDIT_WRITTEN, "Audit records written to the store");
        this.dropped = metrics.counter(MetricNames.AUDIT_DROPPED,
                "Audit records lost: the journal was full or the disk refused them");
        this.spilled = metrics.counter(MetricNames.AUDIT_SPILLED,
                "Audit records whose first write to the store failed; they waited in the journal");
        this.deadLettered = metrics.counter(MetricNames.AUDIT_DEAD_LETTERS,
                "Audit records the store refused on their own, kept in the journal's dead-letter file");
        metrics.gauge(MetricNames.AUDIT_QUEUE_DEPTH, "Audit records in the journal, not yet in the store",
                journal::pending);
        metrics.gauge(MetricNames.AUDIT_QUEUE_CAPACITY, "Records pending above which the audit log is backlogged",
                () -> config.audit().queueCapacity());
        metrics.gauge(MetricNames.AUDIT_JOURNAL_BYTES, "Bytes of the audit journal's segments", journal::bytes);
        metrics.gauge(MetricNames.AUDIT_JOURNAL_MAX_BYTES, "Limit of the audit journal (gateway.audit.journal-max-size)",
                journal::maxBytes);
        metrics.gauge(MetricNames.AUDIT_JOURNAL_OLDEST, "Age of the oldest audit record not yet in the store",
                this::oldestSeconds);
        metrics.gauge(MetricNames.AUDIT_JOURNAL_TORN, "Journal lines skipped as torn or unreadable",
                journal::tornLines);
    }

    void start(@Observes StartupEvent event) {
        writer = new Thread(this::drainLoop, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Journals a record; never blocks on the store. Call it before the response of the request it describes is
     * sent. A no-op when {@code gateway.audit.enabled} is false.
     */
    public void record(AuditRecord record) {
        if (enabled) {
            write(List.of(record));
        }
    }

    /**
     * Journals the record of a request whose answer waits for it: the future completes once the record is written,
     * on the caller's context. On an event loop the records of one pass of the loop over its ready connections are
     * written together with one {@code write}, in a task the loop runs right after that pass, and each answer goes
     * out as soon as that write returned; anywhere else this is {@link #record}.
     */
    public Future<Void> recordBeforeAnswer(AuditRecord record) {
        if (!enabled) {
            return Future.succeededFuture();
        }
        Context context = Vertx.currentContext();
        if (context == null || !((ContextInternal) context).nettyEventLoop().inEventLoop()) { // not on its loop
            write(List.of(record));
            return Future.succeededFuture();
        }
        Promise<Void> written = Promise.promise();
        passes.computeIfAbsent(Thread.currentThread(), t -> new PassBatch(this::write, this::rescue))
                .add(record, (ContextInternal) context, written);
        return written.future();
    }

    /**
     * Stores records the embedded store takes at once ({@link AuditRecords#appendNow}) and journals the others, with
     * one write each; a record neither takes is counted as dropped and logged.
     */
    private void write(List<AuditRecord> records) {
        int stored = store.appendNow(records);
        if (stored > 0) {
            written.increment(stored);
        }
        if (stored == records.size()) {
            return;
        }
        if (store.appendsNow()) { // the embedded files refused them: they wait in the journal
            spilled.increment(records.size() - stored);
        }
        List<AuditRecord> rest = records.subList(stored, records.size());
        if (journal.append(rest)) {
            return;
        }
        for (AuditRecord r : rest) { // all at once did not fit: as many as fit, one by one
            if (!journal.append(r)) {
                drop(r);
            }
        }
    }

    /** The last resort for a record whose batch write threw: the journal on its own, else counted as dropped. */
    private void rescue(AuditRecord r) {
        try {
            if (journal.append(r)) {
                return;
            }
        } catch (RuntimeException | Error e) {
            // counted and logged below
        }
        drop(r);
    }

    /** A record neither the store nor the journal took: counted and logged (its id, never its values). */
    private void drop(AuditRecord r) {
        dropped.increment();
        LOG.errorf("Audit journal refused record %s (journal %d of %d bytes)", r.id(), journal.bytes(),
                journal.maxBytes());
    }

    /** False when the journal is at its limit: the gateway then refuses requests rather than serve them unaudited. */
    public boolean accepting() {
        return !enabled || journal.accepting();
    }

    /** Writes everything journalled so far, while the store takes it (tests and shutdown). */
    public void flush() {
        for (int i = 0; i < 10_000; i++) {
            if (drainOnce() <= 0) {
                return;
            }
        }
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        running = false;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
        try {
            journal.close();
        } catch (IOException e) {
            LOG.warnf("Audit journal did not close cleanly: %s", e.getClass().getSimpleName());
        }
        if (journal.pending() > 0) {
            LOG.warnf("Audit: %d records stay in the journal for the next start", journal.pending());
        }
    }

    private void drainLoop() {
        long backoff = 0;
        while (running) {
            try {
                int n = drainOnce();
                if (n < 0) {
                    backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } else {
                    backoff = 0;
                    if (n < batchSize) {
                        TimeUnit.MILLISECONDS.sleep(LINGER_MILLIS); // fewer, larger transactions under load
                    }
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException | Error e) { // never spin, never end: the journal waits for this thread
                LOG.errorf("Audit writer: %s; retrying in 1 s", e.getClass().getSimpleName());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException stop) {
                    if (!running) {
                        break;
                    }
                }
            }
        }
    }

    /** One batch from the journal into the store: records stored, 0 when caught up, -1 when the store is down. */
    private int drainOnce() {
        synchronized (writeLock) {
            try {
                if (held.isEmpty()) {
                    held.addAll(journal.read(batchSize));
                    heldFailed = false;
                    oldestHeldMillis = held.isEmpty() ? 0 : held.get(0).at().toEpochMilli();
                }
                if (held.isEmpty()) {
                    journal.release();
                    return 0;
                }
                int n = held.size();
                if (!store(held)) {
                    if (!heldFailed) {
                        heldFailed = true;
                        spilled.increment(n);
                    }
                    return -1;
                }
                if (heldFailed) {
                    LOG.infof("Audit store available again; %d records still in the journal", journal.pending());
                }
                held.clear();
                oldestHeldMillis = 0;
                journal.release();
                return n;
            } catch (IOException e) {
                LOG.errorf("Audit journal unreadable: %s", e.getClass().getSimpleName());
                return -1;
            }
        }
    }

    /** Stores {@code batch}, removing from it what the store holds; false when the store is unavailable. */
    private boolean store(List<AuditRecord> batch) throws IOException {
        try {
            store.insert(batch);
            written.increment(batch.size());
            journal.stored(batch.size());
            return true;
        } catch (RuntimeException e) {
            if (!(e instanceof AuditRecords.Refused)) {
                if (!heldFailed) { // once per outage, not once per retry
                    LOG.warnf("Audit store unavailable (%s); records wait in the journal (%d now)", e.getMessage(),
                            journal.pending());
                }
                return false;
            }
        }
        // the store refused the batch for its data: one by one, so one bad record cannot hold up the others
        while (!batch.isEmpty()) {
            AuditRecord r = batch.get(0);
            try {
                store.insert(List.of(r));
                written.increment();
            } catch (RuntimeException e) {
                if (!(e instanceof AuditRecords.Refused)) {
                    return false;
                }
                journal.deadLetter(r);
                deadLettered.increment();
                LOG.warnf("Audit record %s refused by the store (%s): kept in %s", r.id(), e.getMessage(),
                        AuditJournal.DEAD_LETTERS);
            }
            journal.stored(1);
            batch.remove(0);
        }
        return true;
    }

    private double oldestSeconds() {
        long oldest = oldestHeldMillis;
        return oldest == 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }
}
