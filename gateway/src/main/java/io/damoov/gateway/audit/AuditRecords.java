package io.damoov.gateway.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/** Audit records (docs/audit.md) as the store keeps them: the port {@code store.JdbcAuditRecords} implements. */
public interface AuditRecords {

    /**
     * The store refused records for what they hold (a value out of range, a broken constraint), not because it is
     * down: sent again they would be refused again. Names no value.
     */
    final class Refused extends RuntimeException {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Inserts a batch; records whose (at, id) is already stored are skipped, so a replayed batch never fails. */
    void insert(List<AuditRecord> batch);

    /**
     * Stores records at once, on the request path, when this store is itself a local append-only file (the embedded
     * store's): the journal would only copy them into it a second time. Returns how many of the first records are
     * stored: 0 when this store does not take records this way; fewer than all when a write failed. The others are
     * journalled and reach the store in a batch.
     */
    default int appendNow(List<AuditRecord> records) {
        return 0;
    }

    /** Whether {@link #appendNow} takes records (a record it leaves then waits in the journal, counted as spilled). */
    default boolean appendsNow() {
        return false;
    }

    /** Newest first, keyset pagination on (at, id). */
    List<AuditRecord> query(AuditQuery query, int limit);

    /** Streams a whole selection, newest first, without holding it in memory. */
    void stream(AuditQuery query, Consumer<AuditRecord> sink);

    /** Removes records older than {@code cutoff}; returns how many (or -1 when whole partitions were dropped). */
    long purge(Instant cutoff);

    /** Prepares storage for the days from {@code from} on (PostgreSQL: creates daily partitions; H2: nothing). */
    void ensurePartitions(LocalDate from, int days);

    record AuditQuery(String tenant, String subject, String action, Instant since, Instant until, Long afterAt,
            String afterId) {
    }
}
