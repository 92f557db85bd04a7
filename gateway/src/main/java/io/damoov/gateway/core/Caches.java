package io.damoov.gateway.core;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The Caffeine builder for the request path's in-memory lookups (client JWTs, mappings, Damoov tokens).
 * <p>
 * Caffeine's default executor is {@code ForkJoinPool.commonPool()}: every few reads it hands the buffer drain to a
 * pool thread, which on a busy gateway means a futex wake-up and a context switch for a few microseconds of work.
 * In the proxy benchmark's profile the pool threads made more futex calls than the event loops
 * (bench/proxy/README.md §6). These caches are synchronous, with no loaders or listeners, so the maintenance runs
 * on the calling thread instead: amortised, bounded, and under a try-lock that an event loop never waits on.
 */
public final class Caches {

    private Caches() {
    }

    /** {@link Caffeine#newBuilder()} with maintenance on the calling thread and statistics on. */
    public static Caffeine<Object, Object> onCallerThread() {
        return Caffeine.newBuilder().executor(Runnable::run).recordStats();
    }
}
