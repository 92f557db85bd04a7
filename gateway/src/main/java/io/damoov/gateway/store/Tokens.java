package io.damoov.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Damoov tokens and login attempts per identity. No method holds a transaction or a row lock beyond its own
 * statement: a replica that calls Damoov for an identity holds the identity's <em>lease</em> (owner, expiry) instead,
 * claimed by {@link #claim} and ended by {@link #store} or {@link #release}, so a replica that freezes or dies while
 * it calls Damoov blocks the identity no longer than its lease.
 */
public interface Tokens {

    /** The stored token, if any and if it can be decrypted with the current key. */
    Optional<StoredToken> read(TokenKey key);

    /** The identity's row: token, Damoov's login block, and who holds its lease until when. */
    State state(TokenKey key);

    /**
     * Claims the identity's lease for {@code owner} until {@code until} (creating the row on first use), if no one
     * else holds a lease that is live at {@code now}. Returns true when {@code owner} holds it.
     */
    boolean claim(TokenKey key, String owner, Instant until, Instant now);

    /**
     * Stores {@code token} and ends the lease, if {@code owner} still holds it. Returns false when another owner took
     * the lease over (the token is then not stored).
     */
    boolean store(TokenKey key, String owner, StoredToken token);

    /**
     * Stores {@code token} unless another owner holds a lease that is live at {@code now}: a token whose first save
     * failed, or one that came with a registration. Returns false when it was not stored.
     */
    boolean storeUnlessLeased(TokenKey key, String owner, StoredToken token, Instant now);

    /** Ends {@code owner}'s lease, if it holds it. */
    void release(TokenKey key, String owner);

    /** Login attempts of the identity since {@code since}, oldest first. */
    List<Instant> loginsSince(TokenKey key, Instant since);

    void recordLogin(TokenKey key, Instant at, String outcome);

    /** Damoov answered 429 to a login: no login for the identity before {@code until}. */
    void blockLogins(TokenKey key, Instant until);

    /** Drops held tokens: of one identity, or of all identities of a tenant when {@code identity} is null. */
    int delete(String tenant, String principal, String identity);

    /** Removes login attempts made before {@code before} (outside every budget window); returns how many. */
    int purgeLoginAttempts(Instant before);

    /** Login attempts per identity of a tenant since {@code since}. */
    List<LoginCount> loginCounts(String tenant, Instant since);

    /** One identity's row. {@code leaseOwner} is null when no one holds the lease. */
    record State(Optional<StoredToken> token, Optional<Instant> blockedUntil, String leaseOwner, Instant leaseUntil) {

        public static final State EMPTY = new State(Optional.empty(), Optional.empty(), null, null);

        /** True when someone holds a lease that is live at {@code now}. */
        public boolean leasedAt(Instant now) {
            return leaseOwner != null && leaseUntil != null && leaseUntil.isAfter(now);
        }
    }

    record LoginCount(String principal, String identity, int count) {
    }
}
