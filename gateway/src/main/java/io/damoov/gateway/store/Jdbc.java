package io.damoov.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.damoov.gateway.metrics.GatewayMetrics;

/** Small JDBC helpers shared by the store's parts; counts every query for {@code gateway_store_queries_total}. */
final class Jdbc {

    static final String UNIQUE_VIOLATION = "23505";

    final DataSource ds;
    private final GatewayMetrics metrics;

    Jdbc(DataSource ds, GatewayMetrics metrics) {
        this.ds = ds;
        this.metrics = metrics;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface InConnection<T> {
        T run(Connection c) throws SQLException;
    }

    void counted(String operation) {
        metrics.storeQuery(operation);
    }

    <T> T withConnection(InConnection<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    int update(String operation, String sql, Binder binder) {
        return withConnection(c -> update(c, operation, sql, binder));
    }

    int update(Connection c, String operation, String sql, Binder binder) throws SQLException {
        counted(operation);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /** Inserts, returning false instead of failing when the row exists. Runs in autocommit. */
    boolean insertIfAbsent(String operation, String sql, Binder binder) {
        try {
            update(operation, sql, binder);
            return true;
        } catch (StoreException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlState())) {
                return false;
            }
            throw e;
        }
    }

    <T> List<T> query(String operation, String sql, Binder binder, RowMapper<T> mapper) {
        return withConnection(c -> query(c, operation, sql, binder, mapper));
    }

    <T> List<T> query(Connection c, String operation, String sql, Binder binder, RowMapper<T> mapper)
            throws SQLException {
        counted(operation);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    <T> Optional<T> one(String operation, String sql, Binder binder, RowMapper<T> mapper) {
        List<T> rows = query(operation, sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
}
