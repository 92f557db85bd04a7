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

    /**
     * Bytes an entry costs beyond its key's and value's own objects: Caffeine's node (with its expiry and weight
     * fields) and the hash table's slot and references, rounded up.
     */
    public static final int ENTRY_OVERHEAD = 112;

    /** {@link Caffeine#newBuilder()} with maintenance on the calling thread and statistics on. */
    public static Caffeine<Object, Object> onCallerThread() {
        return Caffeine.newBuilder().executor(Runnable::run).recordStats();
    }

    /** {@link #onCallerThread()} bounded by the estimated bytes of its entries, {@code maxBytes} in all. */
    public static <K, V> Caffeine<K, V> weighed(long maxBytes, Weigher<K, V> weigher) {
        return onCallerThread().maximumWeight(maxBytes).weigher((K k, V v) -> {
            long bytes = ENTRY_OVERHEAD + weigher.bytes(k, v);
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        });
    }

    /** {@code mb} MiB in bytes. */
    public static long mib(int mb) {
        return mb * 1024L * 1024L;
    }

    /**
     * Heap bytes of a string (object header, hash and the array; one byte a character, as the compact strings of
     * the ids and tokens cached here are; two for other strings), 0 for null.
     */
    public static long bytes(String s) {
        if (s == null) {
            return 0;
        }
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        return 24 + 16 + align((long) s.length() * (latin1 ? 1 : 2));
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** The estimated heap bytes of an entry's key and value objects. */
    @FunctionalInterface
    public interface Weigher<K, V> {
        long bytes(K key, V value);
    }
}
