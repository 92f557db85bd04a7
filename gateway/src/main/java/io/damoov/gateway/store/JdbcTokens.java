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
        return state(key).token();
    }

    @Override
    public State state(TokenKey key) {
        return jdbc.withConnection(c -> readRow(c, key));
    }

    @Override
    public boolean claim(TokenKey key, String owner, Instant until, Instant now) {
        boolean created = jdbc.insertIfAbsent("token.claim", "INSERT INTO damoov_token (tenant, principal, identity,"
                + " updated_at, lease_owner, lease_until) VALUES (?, ?, ?, ?, ?, ?)", ps -> {
                    bindKey(ps, key, 1);
                    ps.setLong(4, clock.millis());
                    ps.setString(5, owner);
                    ps.setLong(6, until.toEpochMilli());
                });
        if (created) {
            return true;
        }
        return jdbc.update("token.claim", "UPDATE damoov_token SET lease_owner = ?, lease_until = ?" + WHERE_KEY
                + " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until <= ?)", ps -> {
                    ps.setString(1, owner);
                    ps.setLong(2, until.toEpochMilli());
                    bindKey(ps, key, 3);
                    ps.setString(6, owner);
                    ps.setLong(7, now.toEpochMilli());
                }) == 1;
    }

    @Override
    public boolean store(TokenKey key, String owner, StoredToken token) {
        return save(key, token, " AND lease_owner = ?", (ps, i) -> ps.setString(i, owner));
    }

    @Override
    public boolean storeUnlessLeased(TokenKey key, String owner, StoredToken token, Instant now) {
        jdbc.insertIfAbsent("token.claim",
                "INSERT INTO damoov_token (tenant, principal, identity, updated_at) VALUES (?, ?, ?, ?)", ps -> {
                    bindKey(ps, key, 1);
                    ps.setLong(4, clock.millis());
                });
        return save(key, token, " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL"
                + " OR lease_until <= ?)", (ps, i) -> {
                    ps.setString(i, owner);
                    ps.setLong(i + 1, now.toEpochMilli());
                });
    }

    @Override
    public void release(TokenKey key, String owner) {
        jdbc.update("token.release", "UPDATE damoov_token SET lease_owner = NULL, lease_until = NULL" + WHERE_KEY
                + " AND lease_owner = ?", ps -> {
                    bindKey(ps, key, 1);
                    ps.setString(4, owner);
                });
    }

    @Override
    public List<Instant> loginsSince(TokenKey key, Instant since) {
        return jdbc.query("login.window", "SELECT at FROM login_attempt" + WHERE_KEY + " AND at > ? ORDER BY at",
                ps -> {
                    bindKey(ps, key, 1);
                    ps.setLong(4, since.toEpochMilli());
                }, rs -> Instant.ofEpochMilli(rs.getLong(1)));
    }

    @Override
    public void recordLogin(TokenKey key, Instant at, String outcome) {
        jdbc.update("login.record", "INSERT INTO login_attempt (tenant, principal, identity, at, outcome)"
                + " VALUES (?, ?, ?, ?, ?)", ps -> {
                    bindKey(ps, key, 1);
                    ps.setLong(4, at.toEpochMilli());
                    ps.setString(5, outcome);
                });
    }

    @Override
    public void blockLogins(TokenKey key, Instant until) {
        jdbc.update("token.block", "UPDATE damoov_token SET login_blocked_until = ?" + WHERE_KEY, ps -> {
            ps.setLong(1, until.toEpochMilli());
            bindKey(ps, key, 2);
        });
    }

    @FunctionalInterface
    private interface Condition {
        void bind(java.sql.PreparedStatement ps, int from) throws SQLException;
    }

    /** Writes the token and ends any lease, where {@code condition} (an SQL suffix) holds. */
    private boolean save(TokenKey key, StoredToken token, String condition, Condition binder) {
        String aad = aad(key);
        String access = cipher.encrypt(token.accessToken(), aad);
        String refresh = cipher.encrypt(token.refreshToken(), aad);
        return jdbc.update("token.save", "UPDATE damoov_token SET access_token = ?, refresh_token = ?,"
                + " expires_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL" + WHERE_KEY + condition,
                ps -> {
                    ps.setString(1, access);
                    ps.setString(2, refresh);
                    ps.setLong(3, token.expiresAt().toEpochMilli());
                    ps.setLong(4, clock.millis());
                    bindKey(ps, key, 5);
                    binder.bind(ps, 8);
                }) == 1;
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

    private State readRow(Connection c, TokenKey key) throws SQLException {
        List<State> rows = jdbc.query(c, "token.read", "SELECT access_token, refresh_token, expires_at,"
                + " login_blocked_until, lease_owner, lease_until FROM damoov_token" + WHERE_KEY,
                ps -> bindKey(ps, key, 1), rs -> {
                    String at = rs.getString(1);
                    String rt = rs.getString(2);
                    long exp = rs.getLong(3);
                    long blocked = rs.getLong(4);
                    Optional<Instant> blockedUntil = rs.wasNull() ? Optional.empty()
                            : Optional.of(Instant.ofEpochMilli(blocked));
                    String owner = rs.getString(5);
                    long until = rs.getLong(6);
                    Instant leaseUntil = rs.wasNull() ? null : Instant.ofEpochMilli(until);
                    return new State(decrypt(key, at, rt, exp), blockedUntil, owner, leaseUntil);
                });
        return rows.isEmpty() ? State.EMPTY : rows.get(0);
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
}
