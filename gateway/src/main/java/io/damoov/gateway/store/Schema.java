package io.damoov.gateway.store;

import java.util.List;

/**
 * The store's schema version, read from Flyway's history table with one query, so that a start on a schema that
 * is already current does not run Flyway's migrate and its validation (~300 classes fewer at start; Quarkus's
 * extension still builds the Flyway object). Anything else (no history table, a failed migration, another
 * version, newer or older) is left to Flyway.
 */
final class Schema {

    /** The newest {@code V<n>__} migration under {@code db/migration}; SchemaTest keeps the two in step. */
    static final int VERSION = 3;

    private record Applied(String version, boolean success) {
    }

    private Schema() {
    }

    static boolean isCurrent(Jdbc jdbc) {
        List<Applied> history;
        try {
            history = jdbc.query("schema.check", "SELECT version, success FROM flyway_schema_history", ps -> {
            }, rs -> new Applied(rs.getString(1), rs.getBoolean(2)));
        } catch (StoreException e) {
            return false; // a new database: no history table yet
        }
        int newest = 0;
        for (Applied a : history) {
            if (!a.success()) {
                return false;
            }
            if (a.version() != null) {
                try {
                    newest = Math.max(newest, Integer.parseInt(a.version()));
                } catch (NumberFormatException e) {
                    return false; // a version scheme this check does not know: Flyway decides
                }
            }
        }
        return newest == VERSION;
    }
}
