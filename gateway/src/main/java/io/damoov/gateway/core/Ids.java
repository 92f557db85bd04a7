package io.damoov.gateway.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request-path identifiers from {@link ThreadLocalRandom}: neither is a secret, and a shared {@code SecureRandom}
 * (what {@link UUID#randomUUID()} uses) is a lock and a syscall source on the event loop. Same formats as
 * {@code UUID.randomUUID()} and {@code Ids.uuid7()}.
 */
public final class Ids {

    private Ids() {
    }

    /** A random UUID, version 4. */
    public static String uuid4() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** A unique id whose order follows time, UUID version 7 (as {@code Ids.uuid7()}). */
    public static String uuid7() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (r.nextInt() & 0x0fffL);
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
