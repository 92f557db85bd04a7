package io.damoov.gateway.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import io.damoov.gateway.audit.AuditRecord;

/**
 * The embedded store's append ({@code FileAuditRecords.appendNow}), which takes the journal's place on the request
 * path when the store is the embedded one: µs per record for 1 and 2 appending threads (the event loops), records
 * like a proxied request's (the same as JournalAppend's). Run by journal.sh against the built classes.
 */
public final class FileAppend {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("archive-bench");
        for (int threads : new int[] { 1, 2, 1, 2 }) { // the first pair warms up
            FileAuditRecords files = new FileAuditRecords(dir.resolve("t" + threads + "-" + System.nanoTime()));
            CountDownLatch done = new CountDownLatch(threads);
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                new Thread(() -> {
                    for (int i = 0; i < records / threads; i++) {
                        files.appendNow(java.util.List.of(record(i)));
                    }
                    done.countDown();
                }).start();
            }
            done.await();
            double us = (System.nanoTime() - start) / 1000.0 / records;
            System.out.printf("embedded store: threads=%d records=%d  %.2f us/record (wall, all threads)%n", threads,
                    records, us);
        }
    }

    private static AuditRecord record(int i) {
        return new AuditRecord(io.damoov.gateway.core.Ids.uuid7(), Instant.now(), "acme", "user-" + (i % 1000),
                "user", AuditRecord.USE, "0123456789abcdef", "api:/indicators/v*/**", "GET",
                "/api/indicators/v3/Statistics", 200, 200, "10.1.2.3", "0d5c1a9e-6f7b-4c1e-9a55-" + i, 3, null);
    }
}
