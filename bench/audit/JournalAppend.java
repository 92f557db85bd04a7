package io.damoov.gateway.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * The audit journal's append, the one audit cost left on the request path: µs per record for 1 and 2 appending
 * threads (the event loops), records like a proxied request's. Run by journal.sh against the built classes.
 */
public final class JournalAppend {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("journal-bench");
        for (int threads : new int[] { 1, 2, 1, 2 }) { // the first pair warms up
            try (AuditJournal journal = AuditJournal.open(dir.resolve("t" + threads + "-" + System.nanoTime()),
                    8L << 20, 1L << 40)) {
                CountDownLatch done = new CountDownLatch(threads);
                long start = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    new Thread(() -> {
                        for (int i = 0; i < records / threads; i++) {
                            journal.append(record(i));
                        }
                        done.countDown();
                    }).start();
                }
                done.await();
                double us = (System.nanoTime() - start) / 1000.0 / records;
                System.out.printf("threads=%d records=%d bytes=%d  %.2f us/record (wall, all threads)%n", threads,
                        records, journal.bytes(), us);
            }
        }
    }

    private static AuditRecord record(int i) {
        return new AuditRecord(io.damoov.gateway.core.Ids.uuid7(), Instant.now(), "acme", "user-" + (i % 1000),
                "user", AuditRecord.USE, "0123456789abcdef", "api:/indicators/v*/**", "GET",
                "/api/indicators/v3/Statistics", 200, 200, "10.1.2.3", "0d5c1a9e-6f7b-4c1e-9a55-" + i, 3, null);
    }
}
