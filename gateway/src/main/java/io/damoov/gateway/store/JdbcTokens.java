package io.damoov.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

final class JdbcTokens implements Tokens {

    private static final Logger LOG = Logger.getLogger(JdbcTokens.class);
    private static final String WHERE_KEY = " WHERE tenant = ? AND principal = ? AND identity = ?";

    private final Jdbc jdbc;
    private final TokenCipher cipher;
    private final Clock clock;

    JdbcTokens(Jdbc jdbc, TokenCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public Optional<StoredToken> read(TokenKey key) {
        return jdbc.withConnection(c -> readRow(c, key, false)).token();
    }

    @Override
    public <T> T withLock(TokenKey key, LockedWork<T> work) {
        jdbc.insertIfAbsent("token.claim",
                "INSERT INTO damoov_token (tenant, principal, identity, updated_at) VALUES (?, ?, ?, ?)", ps -> {
                    bindKey(ps, key, 1);
                    ps.setLong(4, clock.millis());
                });
        return jdbc.inTransactionCommitAlways(c -> {
            Row row = readRow(c, key, true);
            return work.run(new LockedRow(c, key, row));
        });
    }

    @Override
    public int delete(String tenant, String principal, String identity) {
        String sql = "UPDATE damoov_token SET access_token = NULL, refresh_token = NULL, expires_at = NULL,"
                + " updated_at = ? WHERE tenant = ?" + (principal == null ? "" : " AND principal = ?")
                + (identity == null ? "" : " AND identity = ?") + " AND access_token IS NOT NULL";
        return jdbc.update("token.revoke", sql, ps -> {
            int i = 1;
            ps.setLong(i++, clock.millis());
            ps.setString(i++, tenant);
            if (principal != null) {
                ps.setString(i++, principal);
            }
            if (identity != null) {
                ps.setString(i, identity);
            }
        });
    }

    @Override
    public int purgeLoginAttempts(Instant before) {
        return jdbc.update("login.purge", "DELETE FROM login_attempt WHERE at < ?",
                ps -> ps.setLong(1, before.toEpochMilli()));
    }

    @Override
    public List<LoginCount> loginCounts(String tenant, Instant since) {
        return jdbc.query("login.counts", "SELECT principal, identity, COUNT(*) FROM login_attempt"
                + " WHERE tenant = ? AND at > ? GROUP BY principal, identity ORDER BY principal, identity", ps -> {
                    ps.setString(1, tenant);
                    ps.setLong(2, since.toEpochMilli());
                }, rs -> new LoginCount(rs.getString(1), rs.getString(2), rs.getInt(3)));
    }

    private record Row(Optional<StoredToken> token, Optional<Instant> blockedUntil) {
    }

    private Row readRow(Connection c, TokenKey key, boolean lock) throws SQLException {
        List<Row> rows = jdbc.query(c, lock ? "token.lock" : "token.read",
                "SELECT access_token, refresh_token, expires_at, login_blocked_until FROM damoov_token" + WHERE_KEY
                        + (lock ? " FOR UPDATE" : ""),
                ps -> bindKey(ps, key, 1), rs -> {
                    String at = rs.getString(1);
                    String rt = rs.getString(2);
                    long exp = rs.getLong(3);
                    long blocked = rs.getLong(4);
                    Optional<Instant> blockedUntil = rs.wasNull() ? Optional.empty()
                            : Optional.of(Instant.ofEpochMilli(blocked));
                    return new Row(decrypt(key, at, rt, exp), blockedUntil);
                });
        return rows.isEmpty() ? new Row(Optional.empty(), Optional.empty()) : rows.get(0);
    }

    private Optional<StoredToken> decrypt(TokenKey key, String at, String rt, long exp) {
        if (at == null) {
            return Optional.empty();
        }
        String aad = aad(key);
        try {
            return Optional.of(new StoredToken(cipher.decrypt(at, aad), cipher.decrypt(rt, aad),
                    Instant.ofEpochMilli(exp)));
        } catch (TokenCipher.UndecryptableException e) {
            LOG.warnf("Stored Damoov token of tenant %s (%s) cannot be decrypted with the current key;"
                    + " it will be replaced by re-authentication", key.tenant(), key.principal());
            return Optional.empty();
        }
    }

    private static String aad(TokenKey key) {
        return key.tenant() + '\u0000' + key.principal() + '\u0000' + key.identity();
    }

    private static void bindKey(java.sql.PreparedStatement ps, TokenKey key, int from) throws SQLException {
        ps.setString(from, key.tenant());
        ps.setString(from + 1, key.principal());
        ps.setString(from + 2, key.identity());
    }

    private final class LockedRow implements Locked {
        private final Connection c;
        private final TokenKey key;
        private final Row row;

        LockedRow(Connection c, TokenKey key, Row row) {
            this.c = c;
            this.key = key;
            this.row = row;
        }

        @Override
        public Optional<StoredToken> current() {
            return row.token();
        }

        @Override
        public void save(StoredToken token) {
            String aad = aad(key);
            run(() -> jdbc.update(c, "token.save", "UPDATE damoov_token SET access_token = ?, refresh_token = ?,"
                    + " expires_at = ?, updated_at = ?" + WHERE_KEY, ps -> {
                        ps.setString(1, cipher.encrypt(token.accessToken(), aad));
                        ps.setString(2, cipher.encrypt(token.refreshToken(), aad));
                        ps.setLong(3, token.expiresAt().toEpochMilli());
                        ps.setLong(4, clock.millis());
                        bindKey(ps, key, 5);
                    }));
        }

        @Override
        public List<Instant> loginsSince(Instant since) {
            return run(() -> jdbc.query(c, "login.window", "SELECT at FROM login_attempt" + WHERE_KEY
                    + " AND at > ? ORDER BY at", ps -> {
                        bindKey(ps, key, 1);
                        ps.setLong(4, since.toEpochMilli());
                    }, rs -> Instant.ofEpochMilli(rs.getLong(1))));
        }

        @Override
        public void recordLogin(Instant at, String outcome) {
            run(() -> jdbc.update(c, "login.record", "INSERT INTO login_attempt (tenant, principal, identity, at,"
                    + " outcome) VALUES (?, ?, ?, ?, ?)", ps -> {
                        bindKey(ps, key, 1);
                        ps.setLong(4, at.toEpochMilli());
                        ps.setString(5, outcome);
                    }));
        }

        @Override
        public Optional<Instant> blockedUntil() {
            return row.blockedUntil();
        }

        @Override
        public void blockUntil(Instant until) {
            run(() -> jdbc.update(c, "token.block", "UPDATE damoov_token SET login_blocked_until = ?" + WHERE_KEY,
                    ps -> {
                        ps.setLong(1, until.toEpochMilli());
                        bindKey(ps, key, 2);
                    }));
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> T run(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }
}
