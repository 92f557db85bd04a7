package io.damoov.gateway.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code <limit>/<window>}: at most {@code limit} logins per identity in any {@code window}. */
public record LoginBudget(int limit, Duration window) {

    public static LoginBudget parse(String value) {
        String[] parts = value.split("/", 2);
        try {
            int limit = Integer.parseInt(parts[0].trim());
            Duration window = Duration.parse(parts[1].trim());
            if (limit < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException();
            }
            return new LoginBudget(limit, window);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "gateway.login-budget must look like 5/PT1H (count/ISO-8601 duration), not '" + value + "'");
        }
    }

    /**
     * When the next login is allowed, given the attempts in the window (oldest first); empty when one is allowed
     * now.
     */
    public Optional<Duration> waitBeforeNext(List<Instant> attemptsInWindow, Instant now) {
        if (attemptsInWindow.size() < limit) {
            return Optional.empty();
        }
        Instant frees = attemptsInWindow.get(attemptsInWindow.size() - limit).plus(window);
        return Optional.of(Duration.between(now, frees));
    }

}
