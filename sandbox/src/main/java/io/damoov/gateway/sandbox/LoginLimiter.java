package io.damoov.gateway.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Login limit per identity (docs/damoov-api.md §3.8): {@code loginLimit} attempts per {@code loginWindow}, sliding
 * window; optionally a one-hour block once exceeded. Throttled attempts do not count as attempts.
 */
final class LoginLimiter {

    private final Map<String, Deque<Instant>> attempts = new HashMap<>();
    private final Map<String, Instant> blockedUntil = new HashMap<>();

    /** Records an attempt; returns 0 when allowed, else the seconds until the next attempt may succeed (>= 1). */
    synchronized long acquire(String identity, SandboxSettings settings) {
        int limit = settings.getLoginLimit();
        if (limit <= 0 || identity == null) {
            return 0;
        }
        Instant now = settings.getClock().instant();
        Instant blocked = blockedUntil.get(identity);
        if (blocked != null) {
            if (now.isBefore(blocked)) {
                return seconds(Duration.between(now, blocked));
            }
            blockedUntil.remove(identity);
        }
        Duration window = settings.getLoginWindow();
        Deque<Instant> deque = attempts.computeIfAbsent(identity, k -> new ArrayDeque<>());
        Instant horizon = now.minus(window);
        while (!deque.isEmpty() && !deque.peekFirst().isAfter(horizon)) {
            deque.removeFirst();
        }
        if (deque.size() >= limit) {
            if (settings.isLoginBlockHour()) {
                Instant until = now.plus(Duration.ofHours(1));
                blockedUntil.put(identity, until);
                deque.clear();
                return seconds(Duration.ofHours(1));
            }
            return seconds(Duration.between(now, deque.peekFirst().plus(window)));
        }
        deque.addLast(now);
        return 0;
    }

    /** Attempts left in the current window for the identity (for tests and the control API). */
    synchronized int remaining(String identity, SandboxSettings settings) {
        int limit = settings.getLoginLimit();
        if (limit <= 0) {
            return Integer.MAX_VALUE;
        }
        Deque<Instant> deque = attempts.get(identity);
        if (deque == null) {
            return limit;
        }
        Instant horizon = settings.getClock().instant().minus(settings.getLoginWindow());
        long inWindow = deque.stream().filter(t -> t.isAfter(horizon)).count();
        return (int) Math.max(0, limit - inWindow);
    }

    synchronized void reset() {
        attempts.clear();
        blockedUntil.clear();
    }

    private static long seconds(Duration d) {
        long ms = d.toMillis();
        return Math.max(1, (ms + 999) / 1000);
    }
}
