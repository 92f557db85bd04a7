package io.damoov.gateway.store;

import java.sql.SQLException;

/** The store failed; the message names the SQL state, never data. */
public final class StoreException extends RuntimeException {

    public StoreException(SQLException cause) {
        super("store failure (SQL state " + cause.getSQLState() + ")", cause);
    }
}
