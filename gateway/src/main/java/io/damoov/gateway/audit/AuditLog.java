package io.damoov.gateway.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
import io.quarkus.runtime.StartupEvent;

/**
 * The audit log's writer, off the request path: {@link #record} is an O(1) offer to a bounded queue; one thread
 * drains it in batches (COPY on PostgreSQL, multi-row inserts on H2: store.JdbcAuditRecords). Nothing is lost silently: when
 * the queue is full, or the store refuses
 * a batch, the records go to a local journal that is replayed once the store accepts again; a graceful stop
 * flushes the queue. {@code gateway_audit_records_dropped_total} counts only what not even the journal took.
 */
@Singleton
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final AuditRecords store;
    private final BlockingQueue<AuditRecord> queue;
    private final int capacity;
    private final int batchSize;
    private final AuditJournal journal;
    private final Counter written;
    private final Counter dropped;
    private final Counter spilled;
    private final boolean enabled;
    private final Object writeLock = new Object();
    private volatile boolean running = true;
    private Thread writer;

    public AuditLog(AuditRecords store, GatewayConfig config, GatewayMetrics metrics) {
        this.store = store;
        this.enabled = config.audit().enabled();
        this.capacity = config.audit().queueCapacity();
        this.batchSize = config.audit().batchSize();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.journal = new AuditJournal(Path.of(config.audit().journal()));
        this.written = metrics.counter(MetricNames.AUDIT_WRITTEN, "Audit records written to the store");
        this.dropped = metrics.counter(MetricNames.AUDIT_DROPPED, "Audit records lost (neither queued nor journalled)");
        this.spilled = metrics.counter(MetricNames.AUDIT_SPILLED, "Audit records spilled to the local journal");
        metrics.gauge(MetricNames.AUDIT_QUEUE_DEPTH, "Audit records waiting in the queue", queue::size);
        metrics.gauge(MetricNames.AUDIT_QUEUE_CAPACITY, "Capacity of the audit queue", () -> capacity);
    }

    void start(@Observes StartupEvent event) {
        writer = new Thread(this::drainLoop, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a record; never blocks. A no-op when {@code gateway.audit.enabled} is false. */
    public void record(AuditRecord record) {
        if (!enabled) {
            return;
        }
        // after the final flush (a request that completed during shutdown) the journal keeps it for the next start
        if (!running || !queue.offer(record)) {
            spill(List.of(record));
        }
    }

    /** Writes everything recorded so far, including a batch the writer thread holds (tests and shutdown). */
    public void flush() {
        List<AuditRecord> batch = new ArrayList<>();
        synchronized (writeLock) {
            while (queue.drainTo(batch, batchSize) > 0) {
                write(batch);
                batch.clear();
            }
            replayJournal();
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
        LOG.debug("Audit queue flushed");
    }

    private void drainLoop() {
        List<AuditRecord> batch = new ArrayList<>(batchSize);
        replayJournal();
        while (running) {
            try {
                // records leave the queue only under the lock, so flush() never misses a batch in flight
                boolean idle;
                synchronized (writeLock) {
                    AuditRecord first = queue.poll(50, TimeUnit.MILLISECONDS);
                    idle = first == null;
                    if (!idle) {
                        batch.add(first);
                        fill(batch);
                        write(batch);
                        batch.clear();
                    }
                }
                if (idle && !journal.isEmpty()) {
                    replayJournal();
                }
            } catch (InterruptedException e) {
                if (!batch.isEmpty()) { // interrupted while filling a batch: it is written, not lost
                    write(batch);
                    batch.clear();
                }
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.errorf("Audit writer: %s", e.getMessage());
            }
        }
    }

    /**
     * Lingers {@link #LINGER_NANOS} after the first record, unless a full batch is already waiting: fewer, larger
     * transactions under load. It sleeps rather than polling per record, so producers never wake this thread (an
     * {@code offer} signals only a thread waiting in {@code poll}): one wake per batch instead of one per record.
     */
    private void fill(List<AuditRecord> batch) throws InterruptedException {
        if (queue.size() < batchSize - batch.size()) {
            TimeUnit.NANOSECONDS.sleep(LINGER_NANOS);
        }
        queue.drainTo(batch, batchSize - batch.size());
    }

    private void write(List<AuditRecord> batch) {
        try {
            store.insert(batch);
            written.increment(batch.size());
        } catch (RuntimeException e) {
            LOG.warnf("Audit store refused a batch of %d (%s); journalling it", batch.size(), e.getMessage());
            spill(new ArrayList<>(batch));
        }
    }

    private void spill(List<AuditRecord> records) {
        try {
            journal.append(records);
            spilled.increment(records.size());
        } catch (Exception e) {
            dropped.increment(records.size());
            LOG.errorf("Audit journal refused %d records: %s", records.size(), e.getMessage());
        }
    }

    private void replayJournal() {
        if (journal.isEmpty()) {
            return;
        }
        try {
            List<AuditRecord> records = journal.readAll();
            for (int i = 0; i < records.size(); i += batchSize) {
                store.insert(records.subList(i, Math.min(records.size(), i + batchSize)));
            }
            journal.clear();
            written.increment(records.size());
            LOG.infof("Audit journal replayed: %d records", records.size());
        } catch (Exception e) {
            LOG.debugf("Audit journal replay postponed: %s", e.getMessage());
        }
    }
}
