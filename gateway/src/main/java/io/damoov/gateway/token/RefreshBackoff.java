package io.damoov.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.damoov.gateway.store.TokenKey;

/**
 * Per identity, when the next refresh may be tried after Damoov (or Cloudflare in front of it) did not renew a token
 * for a reason other than "refresh token invalid": a 429 or 403, a 5xx, a timeout. Honours {@code Retry-After} (up to
 * {@link #LONGEST}); without one, 1 s doubling to 60 s per consecutive failure. A success clears it. In memory: each
 * replica backs off on its own, and a restart tries again at once.
 */
final class RefreshBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration LONGEST_WITHOUT_RETRY_AFTER = Duration.ofSeconds(60);
    static final Duration LONGEST = Duration.ofMinutes(15);

    private record Entry(Instant until, int failures) {
    }

    private final Map<TokenKey, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    RefreshBackoff(Clock clock) {
        this.clock = clock;
    }

    /** How long until a refresh of {@code key} may be tried, when that is in the future. */
    Optional<Duration> remaining(TokenKey key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), e.until());
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /** Records a failed refresh; returns the wait before the next. */
    Duration failed(TokenKey key, Duration retryAfter) {
        Entry next = entries.compute(key, (k, e) -> {
            int failures = e == null ? 1 : e.failures() + 1;
            Duration wait = retryAfter != null && !retryAfter.isNegative()
                    ? min(retryAfter.isZero() ? FIRST : retryAfter, LONGEST)
                    : min(FIRST.multipliedBy(1L << Math.min(failures - 1, 6)), LONGEST_WITHOUT_RETRY_AFTER);
            return new Entry(clock.instant().plus(wait), failures);
        });
        return Duration.between(clock.instant(), next.until());
    }

    void succeeded(TokenKey key) {
        entries.remove(key);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
