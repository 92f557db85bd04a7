package io.damoov.gateway.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

/**
 * The gateway's only source of time (UTC). Everything that expires, budgets or purges asks it, so tests can move time
 * with {@link #advance(Duration)}; in production the offset stays zero.
 */
@Singleton
public class GatewayClock extends Clock {

    private volatile long offsetMillis;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(ZoneOffset.UTC) ? this : Clock.offset(this, Duration.ZERO).withZone(zone);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    /** Moves time forward (tests only). */
    public void advance(Duration by) {
        offsetMillis += by.toMillis();
    }

    /** Back to real time (tests only). */
    public void reset() {
        offsetMillis = 0;
    }
}
