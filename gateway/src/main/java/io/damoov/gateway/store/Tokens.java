package io.damoov.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Damoov tokens and login attempts per identity. */
public interface Tokens {

    /** The stored token, if any and if it can be decrypted with the current key. */
    Optional<StoredToken> read(TokenKey key);

    /**
     * Runs {@code work} holding the identity's row lock (created on first use), so across replicas one refresh or
     * login per identity runs at a time. The transaction commits whatever {@code work} wrote, also when it throws.
     */
    <T> T withLock(TokenKey key, LockedWork<T> work);

    /** Drops held tokens: of one identity, or of all identities of a tenant when {@code identity} is null. */
    int delete(String tenant, String principal, String identity);

    /** Removes login attempts made before {@code before} (outside every budget window); returns how many. */
    int purgeLoginAttempts(Instant before);

    /** Login attempts per identity of a tenant since {@code since}. */
    List<LoginCount> loginCounts(String tenant, Instant since);

    /** Time the oldest attempt inside the window was made, per identity (for Retry-After). */
    interface Locked {
        Optional<StoredToken> current();

        void save(StoredToken token);

        /** Login attempts since {@code since}, oldest first. */
        List<Instant> loginsSince(Instant since);

        void recordLogin(Instant at, String outcome);

        Optional<Instant> blockedUntil();

        void blockUntil(Instant until);
    }

    @FunctionalInterface
    interface LockedWork<T> {
        T run(Locked locked);
    }

    record LoginCount(String principal, String identity, int count) {
    }
}
