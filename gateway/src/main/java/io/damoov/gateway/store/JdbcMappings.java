package io.damoov.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

final class JdbcMappings implements Mappings {

    private static final String COLUMNS = "tenant, subject, device_token, enrolled_at";

    private final Jdbc jdbc;
    private final Clock clock;

    private final boolean postgres;

    JdbcMappings(Jdbc jdbc, Clock clock, boolean postgres) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.postgres = postgres;
    }

    @Override
    public Optional<UserMapping> find(String tenant, String subject) {
        return jdbc.one("mapping.find", "SELECT " + COLUMNS
                + " FROM user_mapping WHERE tenant = ? AND subject = ? AND device_token IS NOT NULL", ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, subject);
                }, JdbcMappings::map);
    }

    @Override
    public Optional<UserMapping> findByDeviceToken(String tenant, String deviceToken) {
        return jdbc.one("mapping.find-by-device-token",
                "SELECT " + COLUMNS + " FROM user_mapping WHERE tenant = ? AND device_token = ?", ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, deviceToken);
                }, JdbcMappings::map);
    }

    @Override
    public EnrolmentClaim claimEnrolment(String tenant, String subject, String owner, Instant until, Instant now) {
        String proposed = UUID.randomUUID().toString();
        boolean created = jdbc.insertIfAbsent("mapping.claim", "INSERT INTO user_mapping (tenant, subject, proposed,"
                + " created_at, lease_owner, lease_until) VALUES (?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, subject);
                    ps.setString(3, proposed);
                    ps.setLong(4, clock.millis());
                    ps.setString(5, owner);
                    ps.setLong(6, until.toEpochMilli());
                });
        if (created) {
            return new Claimed(proposed, false);
        }
        boolean takenOver = jdbc.update("mapping.claim", "UPDATE user_mapping SET lease_owner = ?, lease_until = ?"
                + " WHERE tenant = ? AND subject = ? AND device_token IS NULL"
                + " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until <= ?)", ps -> {
                    ps.setString(1, owner);
                    ps.setLong(2, until.toEpochMilli());
                    ps.setString(3, tenant);
                    ps.setString(4, subject);
                    ps.setString(5, owner);
                    ps.setLong(6, now.toEpochMilli());
                }) == 1;
        Optional<ClaimRow> row = jdbc.one("mapping.claim-read", "SELECT device_token, proposed, enrolled_at,"
                + " lease_until FROM user_mapping WHERE tenant = ? AND subject = ?", ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, subject);
                }, rs -> new ClaimRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
        if (row.isEmpty()) {
            return new Busy(now); // deleted meanwhile: claim again
        }
        ClaimRow r = row.get();
        if (r.deviceToken() != null) {
            return new Enrolled(new UserMapping(tenant, subject, r.deviceToken(), Instant.ofEpochMilli(r.enrolledAt())));
        }
        return takenOver ? new Claimed(r.proposed(), true) : new Busy(Instant.ofEpochMilli(r.leaseUntil()));
    }

    private record ClaimRow(String deviceToken, String proposed, long enrolledAt, long leaseUntil) {
    }

    @Override
    public boolean completeEnrolment(String tenant, String subject, String owner, String deviceToken) {
        return jdbc.update("mapping.enroll", "UPDATE user_mapping SET device_token = ?, enrolled_at = ?,"
                + " lease_owner = NULL, lease_until = NULL WHERE tenant = ? AND subject = ? AND lease_owner = ?"
                + " AND device_token IS NULL", ps -> {
                    ps.setString(1, deviceToken);
                    ps.setLong(2, clock.millis());
                    ps.setString(3, tenant);
                    ps.setString(4, subject);
                    ps.setString(5, owner);
                }) == 1;
    }

    @Override
    public void releaseEnrolment(String tenant, String subject, String owner) {
        jdbc.update("mapping.release", "UPDATE user_mapping SET lease_owner = NULL, lease_until = NULL"
                + " WHERE tenant = ? AND subject = ? AND lease_owner = ?", ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, subject);
                    ps.setString(3, owner);
                });
    }

    @Override
    public boolean put(String tenant, String subject, String deviceToken) {
        long now = clock.millis();
        boolean inserted = jdbc.insertIfAbsent("mapping.put",
                "INSERT INTO user_mapping (tenant, subject, device_token, proposed, created_at, enrolled_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, subject);
                    ps.setString(3, deviceToken);
                    ps.setString(4, deviceToken);
                    ps.setLong(5, now);
                    ps.setLong(6, now);
                });
        if (inserted) {
            return true;
        }
        return jdbc.update("mapping.put", "UPDATE user_mapping SET device_token = ?, enrolled_at = ?"
                + " WHERE tenant = ? AND subject = ? AND (device_token IS NULL OR device_token <> ?)", ps -> {
                    ps.setString(1, deviceToken);
                    ps.setLong(2, now);
                    ps.setString(3, tenant);
                    ps.setString(4, subject);
                    ps.setString(5, deviceToken);
                }) > 0;
    }

    @Override
    public boolean delete(String tenant, String subject) {
        return jdbc.update("mapping.delete", "DELETE FROM user_mapping WHERE tenant = ? AND subject = ?", ps -> {
            ps.setString(1, tenant);
            ps.setString(2, subject);
        }) > 0;
    }

    @Override
    public List<ImportOutcome> importBatch(String tenant, List<ImportRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        try {
            return jdbc.withConnection(c -> {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    List<ImportOutcome> out = importBatch(c, tenant, rows);
                    c.commit();
                    return out;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(auto);
                }
            });
        } catch (StoreException e) {
            if (!Jdbc.UNIQUE_VIOLATION.equals(e.sqlState())) {
                throw e;
            }
            // a concurrent enrolment or import took a DeviceToken meanwhile: settle row by row
            List<ImportOutcome> out = new ArrayList<>(rows.size());
            for (ImportRow row : rows) {
                out.add(importOne(tenant, row));
            }
            return out;
        }
    }

    private List<ImportOutcome> importBatch(Connection c, String tenant, List<ImportRow> rows) throws SQLException {
        Map<String, String> bySubject = new HashMap<>();
        Map<String, String> byToken = new HashMap<>();
        if (postgres) {
            // one IN-list query per key; PostgreSQL turns it into index probes
            String marks = String.join(", ", java.util.Collections.nCopies(rows.size(), "?"));
            jdbc.query(c, "mapping.import-read", "SELECT subject, device_token FROM user_mapping WHERE tenant = ?"
                    + " AND subject IN (" + marks + ")", ps -> bindAll(ps, tenant, rows, ImportRow::subject),
                    rs -> bySubject.put(rs.getString(1), rs.getString(2)));
            jdbc.query(c, "mapping.import-read", "SELECT subject, device_token FROM user_mapping WHERE tenant = ?"
                    + " AND device_token IN (" + marks + ")", ps -> bindAll(ps, tenant, rows, ImportRow::deviceToken),
                    rs -> byToken.put(rs.getString(2), rs.getString(1)));
        } else {
            // H2 scans the tenant's rows for a long IN list: embedded point lookups are far cheaper
            jdbc.counted("mapping.import-read");
            try (PreparedStatement bySub = c.prepareStatement(
                    "SELECT device_token FROM user_mapping WHERE tenant = ? AND subject = ?");
                    PreparedStatement byTok = c.prepareStatement(
                            "SELECT subject FROM user_mapping WHERE tenant = ? AND device_token = ?")) {
                for (ImportRow row : rows) {
                    lookup(bySub, tenant, row.subject(), v -> bySubject.put(row.subject(), v));
                    lookup(byTok, tenant, row.deviceToken(), v -> byToken.put(row.deviceToken(), v));
                }
            }
        }
        List<ImportOutcome> out = new ArrayList<>(rows.size());
        long now = clock.millis();
        jdbc.counted("mapping.import-write");
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO user_mapping (tenant, subject, device_token,"
                + " proposed, created_at, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement update = c.prepareStatement("UPDATE user_mapping SET device_token = ?,"
                        + " enrolled_at = ? WHERE tenant = ? AND subject = ?")) {
            int inserts = 0;
            int updates = 0;
            for (ImportRow row : rows) {
                String owner = byToken.get(row.deviceToken());
                boolean known = bySubject.containsKey(row.subject());
                if (owner != null && !owner.equals(row.subject())) {
                    out.add(ImportOutcome.CONFLICT);
                } else if (known && row.deviceToken().equals(bySubject.get(row.subject()))) {
                    out.add(ImportOutcome.UNCHANGED);
                } else if (known) {
                    update.setString(1, row.deviceToken());
                    update.setLong(2, now);
                    update.setString(3, tenant);
                    update.setString(4, row.subject());
                    update.addBatch();
                    updates++;
                    out.add(ImportOutcome.UPDATED);
                } else {
                    insert.setString(1, tenant);
                    insert.setString(2, row.subject());
                    insert.setString(3, row.deviceToken());
                    insert.setString(4, row.deviceToken());
                    insert.setLong(5, now);
                    insert.setLong(6, now);
                    insert.addBatch();
                    inserts++;
                    out.add(ImportOutcome.CREATED);
                }
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (updates > 0) {
                update.executeBatch();
            }
        } catch (java.sql.BatchUpdateException e) {
            SQLException next = e.getNextException();
            throw next != null && next.getSQLState() != null ? next : e;
        }
        return out;
    }

    private static void bindAll(PreparedStatement ps, String tenant, List<ImportRow> rows,
            java.util.function.Function<ImportRow, String> value) throws SQLException {
        ps.setString(1, tenant);
        for (int i = 0; i < rows.size(); i++) {
            ps.setString(i + 2, value.apply(rows.get(i)));
        }
    }

    private static void lookup(PreparedStatement ps, String tenant, String key,
            java.util.function.Consumer<String> found) throws SQLException {
        ps.setString(1, tenant);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                found.accept(rs.getString(1));
            }
        }
    }

    private ImportOutcome importOne(String tenant, ImportRow row) {
        Optional<UserMapping> before = find(tenant, row.subject());
        try {
            boolean changed = put(tenant, row.subject(), row.deviceToken());
            return !changed ? ImportOutcome.UNCHANGED
                    : before.isPresent() ? ImportOutcome.UPDATED : ImportOutcome.CREATED;
        } catch (StoreException e) {
            if (Jdbc.UNIQUE_VIOLATION.equals(e.sqlState())) {
                return ImportOutcome.CONFLICT;
            }
            throw e;
        }
    }

    @Override
    public List<UserMapping> list(String tenant, String after, int limit) {
        return jdbc.query("mapping.list", "SELECT " + COLUMNS + " FROM user_mapping WHERE tenant = ? AND subject > ?"
                + " AND device_token IS NOT NULL ORDER BY subject LIMIT ?", ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, after == null ? "" : after);
                    ps.setInt(3, limit);
                }, JdbcMappings::map);
    }

    private static UserMapping map(ResultSet rs) throws SQLException {
        long enrolled = rs.getLong(4);
        return new UserMapping(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.wasNull() ? null : Instant.ofEpochMilli(enrolled));
    }
}
