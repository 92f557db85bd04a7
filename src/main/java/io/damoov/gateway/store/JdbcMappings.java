package io.damoov.gateway.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

final class JdbcMappings implements Mappings {

    private static final String COLUMNS = "tenant, subject, device_token, enrolled_at";

    private final Jdbc jdbc;
    private final Clock clock;

    JdbcMappings(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
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
    public UserMapping enroll(String tenant, String subject, Registrar registrar) {
        jdbc.insertIfAbsent("mapping.claim",
                "INSERT INTO user_mapping (tenant, subject, proposed, created_at) VALUES (?, ?, ?, ?)", ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, subject);
                    ps.setString(3, UUID.randomUUID().toString());
                    ps.setLong(4, clock.millis());
                });
        return jdbc.inTransactionCommitAlways(c -> {
            List<String[]> rows = jdbc.query(c, "mapping.lock",
                    "SELECT device_token, proposed FROM user_mapping WHERE tenant = ? AND subject = ? FOR UPDATE",
                    ps -> {
                        ps.setString(1, tenant);
                        ps.setString(2, subject);
                    }, rs -> new String[] { rs.getString(1), rs.getString(2) });
            if (rows.isEmpty()) {
                throw new IllegalStateException("enrolment claim vanished");
            }
            if (rows.get(0)[0] != null) {
                return jdbc.query(c, "mapping.find", "SELECT " + COLUMNS
                        + " FROM user_mapping WHERE tenant = ? AND subject = ?", ps -> {
                            ps.setString(1, tenant);
                            ps.setString(2, subject);
                        }, JdbcMappings::map).get(0);
            }
            String deviceToken = registrar.register(rows.get(0)[1]);
            long now = clock.millis();
            jdbc.update(c, "mapping.enroll",
                    "UPDATE user_mapping SET device_token = ?, enrolled_at = ? WHERE tenant = ? AND subject = ?",
                    ps -> {
                        ps.setString(1, deviceToken);
                        ps.setLong(2, now);
                        ps.setString(3, tenant);
                        ps.setString(4, subject);
                    });
            return new UserMapping(tenant, subject, deviceToken, Instant.ofEpochMilli(now));
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
