package io.damoov.gateway.store;

import java.util.Optional;
import java.util.function.Supplier;

import io.damoov.gateway.audit.AuditRecords;

/**
 * The gateway's state behind one interface: user mappings, Damoov tokens (encrypted at rest), login
 * attempts and audit records. JDBC with Flyway migrations underneath, H2 embedded or PostgreSQL shared by replicas.
 * Every method blocks: call it from a worker thread, never from the event loop.
 */
public interface Store {

    Mappings mappings();

    Tokens tokens();

    AuditRecords audit();

    /** Operator changes, seen by every replica's caches. */
    Changes changes();

    /** True while this replica receives the other replicas' changes (always on the embedded store). */
    boolean listening();

    /**
     * Runs {@code work} unless another process runs work under the same {@code job} name right now (PostgreSQL: a
     * transaction-scoped advisory lock held while {@code work} runs; H2 is single-process, so a JVM-local lock).
     * Returns empty when the job was skipped.
     */
    <T> Optional<T> exclusively(String job, Supplier<T> work);

    /** True when the store answers a trivial query. */
    boolean ping();

    /** "postgresql" or "h2". */
    String kind();
}
