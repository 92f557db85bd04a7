package io.damoov.gateway.config;

import java.time.Clock;
import java.time.ZoneOffset;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The gateway's only source of time: everything that expires, budgets or purges injects this {@link Clock} (UTC,
 * millisecond ticks, as {@link System#currentTimeMillis()}). The @QuarkusTest tests replace it with one they can
 * move forward ({@code support.TestClock} in the test sources); production has no such hook.
 */
@Singleton
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }
}
