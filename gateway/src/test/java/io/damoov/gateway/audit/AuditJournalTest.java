package io.damoov.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditJournalTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplayTheRestAndCountTheLineWhenTheLastLineOfASegmentIsTorn() throws Exception {
        // Given: a journal left by a process killed during an append
        Path journalDir = dir.resolve("journal");
        try (AuditJournal first = AuditJournal.open(journalDir, 1 << 20, 1 << 30)) {
            for (int i = 0; i < 3; i++) {
                assertThat(first.append(record("r" + i))).isTrue();
            }
        }
        Path segment = segments(journalDir).get(0);
        byte[] torn = AuditJournal.encode(record("torn"));
        Files.write(segment, java.util.Arrays.copyOf(torn, torn.length / 2), java.nio.file.StandardOpenOption.APPEND);

        // When: the next start reads it
        try (AuditJournal next = AuditJournal.open(journalDir, 1 << 20, 1 << 30)) {
            assertThat(next.append(record("after-restart"))).isTrue();
            List<AuditRecord> read = next.read(100);

            // Then: every whole record, in order, the torn line skipped and counted
            assertThat(read).extracting(AuditRecord::requestId).containsExactly("r0", "r1", "r2", "after-restart");
            assertThat(next.tornLines()).isEqualTo(1);
            next.stored(read.size());
            next.release();
            assertThat(next.pending()).isZero();
            assertThat(Files.exists(segment)).as("the old segment is deleted once stored").isFalse();
        }
    }

    @Test
    void shouldDeleteASegmentOnlyWhenEveryRecordInItIsStored() throws Exception {
        Path journalDir = dir.resolve("journal");
        try (AuditJournal journal = AuditJournal.open(journalDir, 2_000, 1 << 30)) {
            for (int i = 0; i < 40; i++) {
                journal.append(record("r" + i));
            }
            int segmentsBefore = segments(journalDir).size();
            assertThat(segmentsBefore).as("small segments rotate").isGreaterThan(3);

            // read part of it: nothing read but unstored may go
            List<AuditRecord> firstBatch = journal.read(10);
            assertThat(records(journalDir)).hasSize(40);

            // every record read, stored and released: only the active segment is left
            List<AuditRecord> rest = new ArrayList<>(journal.read(1000));
            journal.stored(firstBatch.size() + rest.size());
            journal.release();
            assertThat(firstBatch.size() + rest.size()).isEqualTo(40);
            assertThat(journal.pending()).isZero();
            assertThat(segments(journalDir)).hasSize(1);
        }
    }

    @Test
    void shouldRefuseRecordsAtItsLimitAndTakeThemAgainOnceTheStoreHasCaughtUp() throws Exception {
        Path journalDir = dir.resolve("journal");
        long limit = AuditJournal.encode(record("x")).length * 5L + 10;
        try (AuditJournal journal = AuditJournal.open(journalDir, 1_000, limit)) {
            int taken = 0;
            for (int i = 0; i < 10; i++) {
                taken += journal.append(record("r" + i)) ? 1 : 0;
            }
            assertThat(taken).isEqualTo(5);
            assertThat(journal.accepting()).isFalse();

            List<AuditRecord> read = journal.read(100);
            journal.stored(read.size());
            journal.release();
            assertThat(journal.accepting()).isTrue();
            assertThat(journal.append(record("again"))).isTrue();
        }
    }

    @Test
    void shouldReadTheJournalFileOfTheEarlierLayoutFirst() throws Exception {
        Path journalDir = dir.resolve("audit-journal");
        Files.writeString(dir.resolve("audit-journal.ndjson"),
                new String(AuditJournal.encode(record("legacy")), StandardCharsets.UTF_8));
        try (AuditJournal journal = AuditJournal.open(journalDir, 1 << 20, 1 << 30)) {
            journal.append(record("new"));
            assertThat(journal.pending()).isEqualTo(2);
            assertThat(journal.read(10)).extracting(AuditRecord::requestId).containsExactly("legacy", "new");
        }
    }

    @Test
    void shouldDecodeEveryFieldAsWrittenWhenValuesHoldQuotesEscapesControlCharactersAndNulls() {
        AuditRecord nasty = new AuditRecord(io.damoov.gateway.core.Ids.uuid7(), Instant.ofEpochMilli(1_700_000_000_123L),
                "ac\"me", "a\\b\nc\td\u0001e\u2028f\u00e9\uD83D\uDE00", null, "deny", null, "r/\"x\"", "GET",
                "/p?\u007f", 403, 0, null, "rid", 7, "reason \\ \"q\"");
        byte[] line = AuditJournal.encode(nasty);

        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        String text = new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n");
        assertThat(AuditJournal.fromJson(new io.vertx.core.json.JsonObject(text))).isEqualTo(nasty);
        assertThat(new io.vertx.core.json.JsonObject(text)).isEqualTo(toJson(nasty));
    }

    @Test
    void shouldEncodeLongValuesEscapesLateInAValueAndAShortRecordAfterThemExactly() {
        // a line past the encoder's first buffer, with its first escape late in a value and a lone surrogate last
        String path = "/" + "p".repeat(1500) + "\u00e9\"" + "q".repeat(500) + "\uD800";
        AuditRecord big = new AuditRecord("id-big", Instant.ofEpochMilli(1), "acme", "x".repeat(200) + "\u00e9",
                null, "use", null, "r", "GET", path, 200, 200, null, "rid", 1, null);
        AuditRecord small = new AuditRecord("id-small", Instant.ofEpochMilli(2), "acme", "s", null, "use", null, "r",
                "GET", "/p", 200, 200, null, "rid", 1, null);

        String bigLine = new String(AuditJournal.encode(big), StandardCharsets.UTF_8);
        String smallLine = new String(AuditJournal.encode(small), StandardCharsets.UTF_8);

        AuditRecord decoded = AuditJournal.fromJson(new io.vertx.core.json.JsonObject(bigLine.trim()));
        assertThat(decoded.subject()).isEqualTo(big.subject());
        // a lone surrogate cannot be UTF-8: it becomes '?', as String.getBytes makes it
        assertThat(decoded.path()).isEqualTo(path.substring(0, path.length() - 1) + "?");
        assertThat(smallLine).endsWith("}\n").doesNotContain("ppp");
        assertThat(AuditJournal.fromJson(new io.vertx.core.json.JsonObject(smallLine.trim()))).isEqualTo(small);
    }

    @Test
    void shouldKeepJournallingForEveryoneWhenOneAppendingThreadWasInterrupted() throws Exception {
        Path journalDir = dir.resolve("journal");
        try (AuditJournal journal = AuditJournal.open(journalDir, 1 << 20, 1 << 30)) {
            boolean[] interrupted = new boolean[1];
            Thread worker = new Thread(() -> {
                Thread.currentThread().interrupt(); // as a worker whose backoff sleep was interrupted
                interrupted[0] = journal.append(record("from-interrupted"));
            });
            worker.start();
            worker.join();

            assertThat(interrupted[0]).isTrue();
            assertThat(journal.append(record("after"))).isTrue();
            assertThat(journal.read(10)).extracting(AuditRecord::requestId).containsExactly("from-interrupted",
                    "after");
        }
    }

    /** The journal line as a tree, field by field: what the hand-written encoder must produce. */
    private static io.vertx.core.json.JsonObject toJson(AuditRecord r) {
        return new io.vertx.core.json.JsonObject().put("id", r.id()).put("at", r.at().toEpochMilli()).put("tenant", r.tenant())
                .put("subject", r.subject()).put("principal", r.principal()).put("action", r.action())
                .put("tokenFingerprint", r.tokenFingerprint()).put("route", r.route()).put("method", r.method())
                .put("path", r.path()).put("status", r.status()).put("upstreamStatus", r.upstreamStatus())
                .put("clientIp", r.clientIp()).put("requestId", r.requestId()).put("latencyMs", r.latencyMs())
                .put("reason", r.reason());
    }

    private static AuditRecord record(String requestId) {
        return new AuditRecord(io.damoov.gateway.core.Ids.uuid7(), Instant.now(), "acme", "alice", "user", "use",
                "0123456789abcdef", "stats", "GET", "/api/x", 200, 200, "127.0.0.1", requestId, 3, null);
    }

    private static List<Path> segments(Path journalDir) throws Exception {
        try (Stream<Path> s = Files.list(journalDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(AuditJournal.PREFIX)).sorted().toList();
        }
    }

    private static List<String> records(Path journalDir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Path p : segments(journalDir)) {
            lines.addAll(Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList());
        }
        return lines;
    }
}
