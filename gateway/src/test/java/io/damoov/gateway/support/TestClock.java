package io.damoov.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The gateway's clock in the @QuarkusTest tests: real time (UTC) plus an offset that tests move with
 * {@link #advance(Duration)}. As an alternative with a priority it replaces the production {@code Clock}
 * ({@code config.ClockProducer}) at every injection point of the application under test.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

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

    /** Moves time forward. */
    public void advance(Duration by) {
        offsetMillis += by.toMillis();
    }

    /** Back to real time. */
    public void reset() {
        offsetMillis = 0;
    }
}
