package io.damoov.gateway.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owners of store leases and the wait for another owner's lease. A lease row (owner, expiry) stands in for a lock
 * held across a call to Damoov: a frozen or killed owner blocks the others no longer than its lease. Owner ids are
 * unique per operation (this process's random id and a counter), so that an operation that outlived its lease can
 * tell it was taken over.
 */
public final class Leases {

    private static final String PROCESS = Ids.uuid4();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long FIRST_PAUSE_MILLIS = 25;
    private static final long LONGEST_PAUSE_MILLIS = 250;

    private Leases() {
    }

    /** A new owner id: at most 57 characters. */
    public static String newOwner() {
        return PROCESS + ':' + Long.toString(SEQUENCE.incrementAndGet(), 36);
    }

    /**
     * Sleeps before the next look at a lease someone else holds until {@code until}: 25 ms doubling to 250 ms, and
     * never much past the lease's end (when it may be taken over).
     */
    public static void pause(int attempt, Instant until, Clock clock) {
        long pause = Math.min(LONGEST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(attempt, 4));
        long toExpiry = Duration.between(clock.instant(), until).toMillis() + 5;
        try {
            Thread.sleep(Math.max(1, Math.min(pause, toExpiry)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lease");
        }
    }
}
