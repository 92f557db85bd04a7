package io.damoov.gateway.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;

import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What one audit record costs the embedded H2 store: the gateway's own {@code JdbcAuditRecords.insert} into a fresh
 * file database with the shipped schema and URL, records like a proxied request's, in batches of several sizes.
 * Prints CPU µs per record (this thread, so another process on the machine does not count) and wall µs. Variants
 * (args[1]): {@code shipped}; {@code no-indexes} (the two secondary indexes dropped); {@code write-delay} (H2's
 * default 500 ms write delay instead of 0); args[2], if given, is appended to the URL (H2 settings to try). Run by
 * h2.sh against the built classes.
 */
public final class H2Insert {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String variant = args.length > 1 ? args[1] : "shipped";
        String schema = Files.readString(Path.of("gateway/src/main/resources/db/migration/h2/V2__audit.sql"))
                .replaceAll("(?m)--.*$", "");
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int batch : new int[] { 100, 500, 2000, 100, 500, 2000, 5000 }) { // the first three warm up
            Path dir = Files.createTempDirectory("h2-audit-bench");
            JdbcDataSource ds = new JdbcDataSource();
            String url = "jdbc:h2:file:" + dir.resolve("gateway") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=5000;DB_CLOSE_ON_EXIT=FALSE"
                    + ("write-delay".equals(variant) ? "" : ";WRITE_DELAY=0") + (args.length > 2 ? args[2] : "");
            ds.setURL(url);
            ds.setUser("sa");
            try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
                for (String sql : schema.split(";")) {
                    if (!sql.isBlank() && !(variant.equals("no-indexes") && sql.contains("CREATE INDEX"))) {
                        st.execute(sql);
                    }
                }
                JdbcAuditRecords store = new JdbcAuditRecords(new Jdbc(ds, new GatewayMetrics(new SimpleMeterRegistry())),
                        false);
                long cpu0 = cpu.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                int n = 0;
                while (n < records) {
                    List<AuditRecord> b = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        b.add(record(n++));
                    }
                    store.insert(b);
                }
                double cpuUs = (cpu.getCurrentThreadCpuTime() - cpu0) / 1000.0 / n;
                double wallUs = (System.nanoTime() - wall0) / 1000.0 / n;
                System.out.printf("variant=%s batch=%d records=%d  cpu %.2f us/record  wall %.2f us/record  file %d KiB%n",
                        variant, batch, n, cpuUs, wallUs, Files.size(dir.resolve("gateway.mv.db")) / 1024);
                st.execute("SHUTDOWN");
            }
        }
    }

    private static AuditRecord record(int i) {
        return new AuditRecord(io.damoov.gateway.core.Ids.uuid7(), Instant.now(), "acme", "user-" + (i % 1000),
                "user", AuditRecord.USE, "0123456789abcdef", "api:/indicators/v*/**", "GET",
                "/api/indicators/v3/Statistics", 200, 200, "10.1.2.3", "0d5c1a9e-6f7b-4c1e-9a55-" + i, 3, null);
    }
}
