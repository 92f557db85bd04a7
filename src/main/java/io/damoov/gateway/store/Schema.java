package io.damoov.gateway.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The store's schema version, read from Flyway's history table with one query, so that a start on a schema that
 * is already current does not load Flyway (and the Jackson it brings: ~1k classes, a few hundred ms of start-up).
 * Anything else (no history table, a failed migration, another version, newer or older) is left to Flyway.
 */
final class Schema {

    /** The newest {@code V<n>__} migration under {@code db/migration}; SchemaTest keeps the two in step. */
    static final int VERSION = 2;

    private Schema() {
    }

    static boolean isCurrent(DataSource ds) {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            int newest = 0;
            while (rs.next()) {
                String version = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    return false;
                }
                if (version != null) {
                    newest = Math.max(newest, Integer.parseInt(version));
                }
            }
            return newest == VERSION;
        } catch (SQLException | NumberFormatException e) {
            return false; // a new database, or a history this check does not understand: Flyway decides
        }
    }
}
