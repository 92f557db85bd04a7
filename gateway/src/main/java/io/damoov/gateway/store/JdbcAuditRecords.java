package io.damoov.gateway.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.AuditRecords;

/**
 * Audit records over JDBC. On PostgreSQL the table is partitioned by day: {@link #purge} drops whole partitions
 * past the cutoff and {@link #ensurePartitions} creates the coming days'. On H2 the purge is a batched DELETE.
 */
final class JdbcAuditRecords implements AuditRecords {

    private static final Logger LOG = Logger.getLogger(JdbcAuditRecords.class);
    private static final String COLUMNS = "id, at, tenant, subject, principal, action, token_fingerprint, route,"
            + " method, path, status, upstream_status, client_ip, request_id, latency_ms, reason";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final int PURGE_BATCH = 10_000;
    private static final String UNIQUE_VIOLATION = "23505";

    private final Jdbc jdbc;
    private final boolean postgres;

    JdbcAuditRecords(Jdbc jdbc, boolean postgres) {
        this.jdbc = jdbc;
        this.postgres = postgres;
    }

    /**
     * On PostgreSQL a batch goes in with {@code COPY} (one pass of text, the cheapest way in for the gateway and for
     * the server); a batch that COPY refuses as a duplicate (a journal replay of records that did reach the store)
     * goes again as {@code INSERT … ON CONFLICT DO NOTHING}, which keeps replays idempotent.
     */
    @Override
    public void insert(List<AuditRecord> batch) {
        try {
            write(batch);
        } catch (StoreException e) {
            String state = e.sqlState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                throw new Refused(e.getMessage(), e);
            }
            throw e;
        }
    }

    private void write(List<AuditRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (postgres) {
            try {
                copy(batch);
                return;
            } catch (StoreException e) {
                if (!UNIQUE_VIOLATION.equals(e.sqlState())) {
                    throw e;
                }
                LOG.debugf("Audit batch of %d holds records already stored; inserting the others", batch.size());
            }
        }
        insertIgnoringDuplicates(batch);
    }

    private void copy(List<AuditRecord> batch) {
        StringBuilder rows = new StringBuilder(batch.size() * 256);
        for (AuditRecord r : batch) {
            text(rows, r.id()).append('\t').append(r.at().toEpochMilli()).append('\t');
            text(rows, r.tenant()).append('\t');
            text(rows, r.subject()).append('\t');
            text(rows, r.principal()).append('\t');
            text(rows, r.action()).append('\t');
            text(rows, r.tokenFingerprint()).append('\t');
            text(rows, r.route()).append('\t');
            text(rows, r.method()).append('\t');
            text(rows, r.path()).append('\t').append(r.status()).append('\t')
                    .append(r.upstreamStatus()).append('\t');
            text(rows, r.clientIp()).append('\t');
            text(rows, r.requestId()).append('\t').append(r.latencyMs()).append('\t');
            text(rows, r.reason()).append('\n');
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        jdbc.withConnection(c -> {
            jdbc.counted("audit.insert");
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            CopyIn in = copy.copyIn("COPY audit_record (" + COLUMNS + ") FROM STDIN");
            try {
                in.writeToCopy(bytes, 0, bytes.length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
            return null;
        });
    }

    /** A value in COPY's text format: {@code \N} for null; backslash, tab, newline and carriage return escaped. */
    private static StringBuilder text(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }

    private void insertIgnoringDuplicates(List<AuditRecord> batch) {
        jdbc.withConnection(c -> {
            jdbc.counted("audit.insert");
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (AuditRecord r : batch) {
                    ps.setString(1, r.id());
                    ps.setLong(2, r.at().toEpochMilli());
                    ps.setString(3, r.tenant());
                    ps.setString(4, r.subject());
                    ps.setString(5, r.principal());
                    ps.setString(6, r.action());
                    ps.setString(7, r.tokenFingerprint());
                    ps.setString(8, r.route());
                    ps.setString(9, r.method());
                    ps.setString(10, r.path());
                    ps.setInt(11, r.status());
                    ps.setInt(12, r.upstreamStatus());
                    ps.setString(13, r.clientIp());
                    ps.setString(14, r.requestId());
                    ps.setLong(15, r.latencyMs());
                    ps.setString(16, r.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    @Override
    public List<AuditRecord> query(AuditQuery q, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = select(q, params) + " LIMIT ?";
        params.add(limit);
        return jdbc.query("audit.query", sql, ps -> bind(ps, params), JdbcAuditRecords::map);
    }

    @Override
    public void stream(AuditQuery q, Consumer<AuditRecord> sink) {
        List<Object> params = new ArrayList<>();
        String sql = select(q, params);
        jdbc.withConnection(c -> {
            jdbc.counted("audit.export");
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only outside autocommit
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(5000);
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(map(rs));
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    @Override
    public long purge(Instant cutoff) {
        if (postgres) {
            return purgePartitions(cutoff);
        }
        long total = 0;
        int n;
        do {
            n = jdbc.update("audit.purge", "DELETE FROM audit_record WHERE at < ? LIMIT " + PURGE_BATCH,
                    ps -> ps.setLong(1, cutoff.toEpochMilli()));
            total += n;
        } while (n == PURGE_BATCH);
        return total;
    }

    /** PostgreSQL: drops every daily partition that ends at or before the cutoff; deletes stragglers elsewhere. */
    private long purgePartitions(Instant cutoff) {
        List<String> partitions = jdbc.query("audit.partitions",
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit_record'",
                ps -> {
                }, rs -> rs.getString(1));
        LocalDate cutoffDay = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
        long dropped = 0;
        for (String name : partitions) {
            if (!name.matches("audit_record_d\\d{8}")) { // not audit_record_default
                continue;
            }
            LocalDate day = LocalDate.parse(name.substring("audit_record_d".length()), DAY);
            if (!day.plusDays(1).isAfter(cutoffDay)) {
                jdbc.update("audit.drop-partition", "DROP TABLE " + name, ps -> {
                });
                LOG.infof("Audit retention: dropped partition %s", name);
                dropped++;
            }
        }
        long deleted = jdbc.update("audit.purge", "DELETE FROM audit_record WHERE at < ?",
                ps -> ps.setLong(1, cutoff.toEpochMilli()));
        return deleted + dropped;
    }

    /** PostgreSQL: creates the daily partitions from {@code from} for {@code days} days, if missing. */
    @Override
    public void ensurePartitions(LocalDate from, int days) {
        if (!postgres) {
            return;
        }
        for (int i = 0; i < days; i++) {
            LocalDate day = from.plusDays(i);
            long start = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            long end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            String name = "audit_record_d" + DAY.format(day);
            try {
                jdbc.update("audit.create-partition", "CREATE TABLE IF NOT EXISTS " + name
                        + " PARTITION OF audit_record FOR VALUES FROM (" + start + ") TO (" + end + ")", ps -> {
                        });
            } catch (StoreException e) {
                // rows for that day already sit in the default partition, or another replica raced us
                LOG.debugf("Audit partition %s not created: %s", name, e.getMessage());
            }
        }
    }

    private static String select(AuditQuery q, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_record WHERE 1 = 1");
        if (q.tenant() != null) {
            sql.append(" AND tenant = ?");
            params.add(q.tenant());
        }
        if (q.subject() != null) {
            sql.append(" AND subject = ?");
            params.add(q.subject());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            params.add(q.action());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            params.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            params.add(q.until().toEpochMilli());
        }
        if (q.afterAt() != null) {
            sql.append(" AND (at < ? OR (at = ? AND id < ?))");
            params.add(q.afterAt());
            params.add(q.afterAt());
            params.add(q.afterId());
        }
        sql.append(" ORDER BY at DESC, id DESC");
        return sql.toString();
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (p instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, p.toString());
            }
        }
    }

    private static AuditRecord map(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getInt(11), rs.getInt(12), rs.getString(13), rs.getString(14), rs.getLong(15),
                rs.getString(16));
    }

}
