package io.damoov.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.AuditRecords.AuditQuery;
import io.damoov.gateway.core.Ids;
import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The audit table round-trips every value as written, whichever way the store takes a batch (COPY on PostgreSQL,
 * INSERT on H2), and a batch written twice (a journal replay) leaves each record once.
 */
@QuarkusTest
class AuditRecordsTest extends GatewayTest {

    @Inject
    Store store;

    @Test
    void shouldReadBackEveryValueAsWrittenWhenValuesHoldEscapesAndNulls() {
        // Given: values that COPY's text format must escape, a literal \N, non-ASCII, and nulls
        String subject = newSubject() + "\t\\N\\\n\r|\u00e9\u4e2d\ud83d\ude97";
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AuditRecord nasty = new AuditRecord(Ids.uuid7(), at, "acme", subject, "user", AuditRecord.USE,
                "0123456789abcdef", "api", "POST", "/api/x\\y\tz", 200, 201, "10.0.0.1", "req-1", 12,
                "reason\\with\ttab");
        AuditRecord sparse = new AuditRecord(Ids.uuid7(), at.plusMillis(1), "acme", subject, null, AuditRecord.DENY,
                null, null, "GET", "/p", 401, 0, null, null, 0, null);

        // When
        store.audit().insert(List.of(nasty, sparse));

        // Then
        assertThat(read(subject)).containsExactly(sparse, nasty);
    }

    @Test
    void shouldKeepEachRecordOnceWhenABatchIsWrittenAgain() {
        // Given: a batch already stored, then the same batch with one new record (a replay after a lost answer)
        String subject = newSubject();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(record(subject, at.plusMillis(i)));
        }
        store.audit().insert(batch);
        List<AuditRecord> replay = new ArrayList<>(batch);
        replay.add(record(subject, at.plusMillis(50)));

        // When
        store.audit().insert(replay);

        // Then
        assertThat(read(subject)).hasSize(51).doesNotHaveDuplicates();
    }

    private List<AuditRecord> read(String subject) {
        return store.audit().query(new AuditQuery("acme", subject, null, null, null, null, null), 1000);
    }

    private static AuditRecord record(String subject, Instant at) {
        return new AuditRecord(Ids.uuid7(), at, "acme", subject, "user", AuditRecord.USE, "0123456789abcdef", "api",
                "GET", "/api/indicators/v3/Statistics", 200, 200, "10.0.0.1", "req", 3, null);
    }
}
