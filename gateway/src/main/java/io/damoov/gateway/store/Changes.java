package io.damoov.gateway.store;

import java.util.function.Consumer;

/**
 * Operator changes, delivered to every replica's caches within a second: on PostgreSQL through {@code LISTEN/NOTIFY}
 * on a connection of its own; on the embedded store, which one process owns, in process.
 */
public interface Changes {

    /** Delivers {@code change} to this process's subscribers at once and to the other replicas (blocking). */
    void publish(Change change);

    void subscribe(Consumer<Change> subscriber);
}
