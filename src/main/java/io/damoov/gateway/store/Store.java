package io.damoov.gateway.store;

/**
 * The gateway's state behind one interface (SPEC §5): user mappings, Damoov tokens (encrypted at rest), login
 * attempts and audit records. JDBC with Flyway migrations underneath, H2 embedded or PostgreSQL shared by replicas.
 * Every method blocks: call it from a worker thread, never from the event loop.
 */
public interface Store {

    Mappings mappings();

    Tokens tokens();

    AuditRecords audit();

    /** True when the store answers a trivial query. */
    boolean ping();

    /** "postgresql" or "h2". */
    String kind();
}
