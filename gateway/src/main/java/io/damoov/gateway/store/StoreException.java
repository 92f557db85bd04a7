package io.damoov.gateway.store;

import java.sql.SQLException;
import java.time.Duration;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;

/**
 * The store failed. The message names the SQL state, never data: the driver's own message (pgjdbc's can quote a
 * DeviceToken from a key) and its exception are not kept, so no log line or answer can carry them. A failure to
 * reach the store (connection lost or refused, no pooled connection in time, the server shutting down, a timeout)
 * is {@code 503 store-unavailable} with {@code Retry-After}; any other is an internal error.
 */
public final class StoreException extends GatewayException {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final String sqlState;

    public StoreException(SQLException cause) {
        this(cause.getSQLState());
    }

    private StoreException(String sqlState) {
        super(unavailable(sqlState) ? ProblemType.STORE_UNAVAILABLE : ProblemType.INTERNAL,
                unavailable(sqlState) ? "store-unavailable" : "store-failure",
                unavailable(sqlState) ? "The gateway's store is unavailable; try again shortly"
                        : "store failure (SQL state " + sqlState + ")",
                unavailable(sqlState) ? RETRY_AFTER : null);
        this.sqlState = sqlState;
    }

    /** The store could not be reached (no SQL state: as a pool that hands out no connection in time). */
    public static StoreException unreachable() {
        return new StoreException((String) null);
    }

    /** The SQL state of the failure, or null (a pool that handed out no connection in time). */
    public String sqlState() {
        return sqlState;
    }

    /** True for a failure to reach the store rather than a refusal of what was sent. */
    public boolean unavailable() {
        return unavailable(sqlState);
    }

    @Override
    public String toString() {
        return "StoreException[SQL state " + sqlState + "]";
    }

    /**
     * No SQL state (a pool acquisition timeout), class 08 (connection), 53 (resources), 57 (operator intervention,
     * statement timeout), 55P03 (lock not available), 40001/40P01 (serialization, deadlock: try again), and H2's
     * states for the same.
     */
    static boolean unavailable(String state) {
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.equals("55P03") || state.equals("40001") || state.equals("40P01") || H2_UNAVAILABLE.contains(state);
    }

    /** H2's: connection broken, database closed, file in use or closed, lock timeout. */
    private static final java.util.Set<String> H2_UNAVAILABLE = java.util.Set.of("90067", "90098", "90121", "HYT00");
}
