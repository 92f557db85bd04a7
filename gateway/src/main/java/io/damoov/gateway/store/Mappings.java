package io.damoov.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** User mappings (tenant, subject) → DeviceToken. */
public interface Mappings {

    Optional<UserMapping> find(String tenant, String subject);

    Optional<UserMapping> findByDeviceToken(String tenant, String deviceToken);

    /**
     * Claims the enrolment of a user who has no mapping yet for {@code owner} until {@code until}: a row is created
     * under the unique key (tenant, subject) with a proposed DeviceToken, or an expired claim of another owner is
     * taken over. No transaction outlives the statement; the registration at Damoov runs between this call and
     * {@link #completeEnrolment}.
     */
    EnrolmentClaim claimEnrolment(String tenant, String subject, String owner, Instant until, Instant now);

    /** Stores the DeviceToken Damoov keeps and ends the claim, if {@code owner} still holds it. */
    boolean completeEnrolment(String tenant, String subject, String owner, String deviceToken);

    /** Ends {@code owner}'s claim without a mapping (the registration failed). */
    void releaseEnrolment(String tenant, String subject, String owner);

    /** Creates or replaces a mapping (operator import). Returns true when something changed. */
    boolean put(String tenant, String subject, String deviceToken);

    boolean delete(String tenant, String subject);

    /**
     * Imports a batch of mappings in one transaction (JDBC batches), idempotently: a row equal to the stored one is
     * {@code UNCHANGED}, a DeviceToken already mapped to another subject of the tenant is a {@code CONFLICT} and not
     * written. The rows must have distinct subjects and distinct DeviceTokens. Outcomes are in the order of
     * {@code rows}.
     */
    List<ImportOutcome> importBatch(String tenant, List<ImportRow> rows);

    /** Mappings of a tenant ordered by subject, after {@code after} (keyset pagination). */
    List<UserMapping> list(String tenant, String after, int limit);

    record ImportRow(String subject, String deviceToken) {
    }

    enum ImportOutcome {
        CREATED,
        UPDATED,
        UNCHANGED,
        CONFLICT
    }

    /** What {@link #claimEnrolment} found. */
    sealed interface EnrolmentClaim {
    }

    /** The user is enrolled (by another caller meanwhile). */
    record Enrolled(UserMapping mapping) implements EnrolmentClaim {
    }

    /**
     * The caller holds the claim: register the user at Damoov with {@code proposed} as its DeviceToken. {@code resumed}:
     * an earlier claim proposed the same DeviceToken (it was released or its owner froze or died), so Damoov may
     * have registered it already and only the answer was lost.
     */
    record Claimed(String proposed, boolean resumed) implements EnrolmentClaim {
    }

    /** Another caller holds a live claim until {@code until}. */
    record Busy(Instant until) implements EnrolmentClaim {
    }
}
