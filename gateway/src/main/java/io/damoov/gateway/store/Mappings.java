package io.damoov.gateway.store;

import java.util.List;
import java.util.Optional;

/** User mappings (tenant, subject) → DeviceToken. */
public interface Mappings {

    Optional<UserMapping> find(String tenant, String subject);

    Optional<UserMapping> findByDeviceToken(String tenant, String deviceToken);

    /**
     * Returns the mapping, enrolling the user first if there is none: a row is claimed under the unique key
     * (tenant, subject) and locked, so across threads and processes exactly one caller runs {@code registrar}; the
     * others wait on the lock and read its result.
     */
    UserMapping enroll(String tenant, String subject, Registrar registrar);

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

    @FunctionalInterface
    interface Registrar {
        /** Registers the user at Damoov with the proposed DeviceToken and returns the DeviceToken Damoov keeps. */
        String register(String proposedDeviceToken);
    }
}
