package io.damoov.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.AuditRecords.AuditQuery;

/** The embedded store's audit files answer like the audit table: newest first, keyset pages, filters, retention. */
class FileAuditRecordsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T23:58:30Z");

    @TempDir
    Path dir;

    @Test
    void shouldPageNewestFirstAcrossMinutesAndDaysWithoutLosingOrRepeatingARecord() {
        FileAuditRecords files = new FileAuditRecords(dir);
        List<AuditRecord> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // over 5 minutes, across midnight, several records per millisecond
            all.add(record("acme", "s" + (i % 7), T0.plusMillis(i / 3 * 1000L)));
        }
        List<AuditRecord> shuffled = new ArrayList<>(all);
        java.util.Collections.shuffle(shuffled, new java.util.Random(1));
        files.insert(shuffled.subList(0, 150));
        files.insert(shuffled.subList(150, 300));
        files.insert(shuffled.subList(100, 160)); // a replayed batch: stored twice, read once

        List<AuditRecord> paged = new ArrayList<>();
        Long afterAt = null;
        String afterId = null;
        while (true) {
            List<AuditRecord> page = files.query(new AuditQuery("acme", null, null, null, null, afterAt, afterId), 23);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(page);
            AuditRecord last = page.get(page.size() - 1);
            afterAt = last.at().toEpochMilli();
            afterId = last.id();
        }

        List<AuditRecord> expected = new ArrayList<>(all);
        expected.sort(java.util.Comparator.comparing(AuditRecord::at).thenComparing(AuditRecord::id).reversed());
        assertThat(paged).isEqualTo(expected);
        List<AuditRecord> streamed = new ArrayList<>();
        files.stream(new AuditQuery(null, null, null, null, null, null, null), streamed::add);
        assertThat(streamed).isEqualTo(expected);
    }

    @Test
    void shouldFilterByTenantSubjectActionAndTimeEvenWithCharactersJsonEscapes() {
        FileAuditRecords files = new FileAuditRecords(dir);
        String odd = "sub\"ject\\with\u2028escapes";
        files.insert(List.of(record("acme", odd, T0), record("acme", "other", T0.plusSeconds(1)),
                record("globex", odd, T0.plusSeconds(2)), record("acme", odd, T0.plusSeconds(120))));

        assertThat(files.query(new AuditQuery("acme", odd, null, null, null, null, null), 10))
                .extracting(AuditRecord::at).containsExactly(T0.plusSeconds(120), T0);
        assertThat(files.query(new AuditQuery("acme", odd, null, T0.plusSeconds(60), null, null, null), 10))
                .extracting(AuditRecord::at).containsExactly(T0.plusSeconds(120));
        assertThat(files.query(new AuditQuery(null, null, null, T0, T0.plusSeconds(2), null, null), 10))
                .extracting(AuditRecord::tenant).containsExactly("acme", "acme");
        assertThat(files.query(new AuditQuery(null, null, "deny", null, null, null, null), 10)).isEmpty();
    }

    @Test
    void shouldPassOverATornLineAndDropWholeMinutesPastTheCutoff() throws Exception {
        FileAuditRecords files = new FileAuditRecords(dir);
        files.insert(List.of(record("acme", "a", T0), record("acme", "b", T0.plusSeconds(200))));
        try (var files2 = Files.walk(dir)) {
            Path first = files2.filter(p -> p.toString().endsWith(".ndjson")).sorted().findFirst().orElseThrow();
            Files.writeString(first, "{\"id\":\"torn", StandardOpenOption.APPEND);
        }

        assertThat(files.query(new AuditQuery(null, null, null, null, null, null, null), 10)).hasSize(2);
        files.purge(T0.plusSeconds(100));

        assertThat(files.query(new AuditQuery(null, null, null, null, null, null, null), 10))
                .extracting(AuditRecord::subject).containsExactly("b");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("20261202");
        }
    }

    @Test
    void shouldTakeRecordsOneByOneAndStartANewLineAfterALineTornByAKill() throws Exception {
        FileAuditRecords before = new FileAuditRecords(dir);
        assertThat(before.appendNow(List.of(record("acme", "a", T0)))).isEqualTo(1);
        try (var all = Files.walk(dir)) { // the process killed during its next append
            Path minute = all.filter(p -> p.toString().endsWith(".ndjson")).findFirst().orElseThrow();
            Files.writeString(minute, "{\"id\":\"torn", StandardOpenOption.APPEND);
        }

        FileAuditRecords after = new FileAuditRecords(dir); // the next start, same minute
        assertThat(after.appendNow(List.of(record("acme", "c", T0.plusSeconds(1))))).isEqualTo(1);
        after.insert(List.of(record("acme", "d", T0.plusSeconds(2))));

        assertThat(after.query(new AuditQuery(null, null, null, null, null, null, null), 10))
                .extracting(AuditRecord::subject).containsExactly("d", "c", "a");
    }

    @Test
    void shouldStoreARecordOfAMinuteThatRetentionDeletedWhileItsFileWasOpen() {
        FileAuditRecords files = new FileAuditRecords(dir);
        files.appendNow(List.of(record("acme", "old", T0)));
        files.purge(T0.plusSeconds(120)); // deletes the minute whose file is open for appending

        assertThat(files.appendNow(List.of(record("acme", "late", T0.plusSeconds(1))))).isEqualTo(1);

        assertThat(files.query(new AuditQuery(null, null, null, null, null, null, null), 10))
                .extracting(AuditRecord::subject).containsExactly("late");
    }

    private static AuditRecord record(String tenant, String subject, Instant at) {
        return AuditRecord.of("use").tenant(tenant).subject(subject).route("r").method("GET").path("/p").status(200)
                .requestId(UUID.randomUUID().toString()).build(Clock.fixed(at, ZoneOffset.UTC));
    }
}
