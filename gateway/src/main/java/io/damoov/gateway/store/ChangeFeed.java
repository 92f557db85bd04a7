package io.damoov.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link Changes} of the store: {@code pg_notify} on the pool to publish, and on PostgreSQL a daemon thread that
 * listens on a connection of its own (outside the pool, so a small pool keeps all its connections). The listening
 * connection checks itself every few seconds; when it is lost, the thread reconnects every second.
 */
final class ChangeFeed implements Changes, AutoCloseable {

    static final String CHANNEL = "damoov_gateway_changes";
    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
    private static final int POLL_MILLIS = 250;
    private static final int CHECK_EVERY_POLLS = 20;
    private static final long RECONNECT_MILLIS = 1000;

    private final Jdbc jdbc;
    private final boolean postgres;
    private final List<Consumer<Change>> subscribers = new CopyOnWriteArrayList<>();
    private final String url;
    private final Properties credentials;
    private volatile boolean running = true;
    private volatile boolean listening;
    private Thread thread;

    ChangeFeed(Jdbc jdbc, boolean postgres, String url, String user, String password) {
        this.jdbc = jdbc;
        this.postgres = postgres;
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("connectTimeout", "5");
        credentials.setProperty("socketTimeout", "30");
        credentials.setProperty("tcpKeepAlive", "true");
        credentials.setProperty("ApplicationName", "damoov-gateway change feed");
    }

    void start() {
        if (!postgres) {
            return;
        }
        thread = new Thread(this::listenLoop, "gateway-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while the feed listens (always true on the embedded store). */
    boolean listening() {
        return !postgres || listening;
    }

    @Override
    public void publish(Change change) {
        deliver(change);
        if (postgres) {
            jdbc.query("change.notify", "SELECT pg_notify(?, ?)", ps -> {
                ps.setString(1, CHANNEL);
                ps.setString(2, change.encode());
            }, rs -> null);
        }
    }

    @Override
    public void subscribe(Consumer<Change> subscriber) {
        subscribers.add(subscriber);
    }

    private void deliver(Change change) {
        for (Consumer<Change> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException e) {
                LOG.warnf("A cache could not apply a change of kind %s: %s", change.kind(), e.getClass().getName());
            }
        }
    }

    private void listenLoop() {
        boolean connectedBefore = false;
        boolean warned = false;
        while (running) {
            try (Connection c = new org.postgresql.Driver().connect(url, credentials)) {
                if (c == null) {
                    throw new SQLException("not a PostgreSQL URL", "08001");
                }
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                if (connectedBefore) {
                    // Not a flush: after a store outage that would leave the cached callers with nothing cached for
                    // the next outage (AuditJournalIT). Operator changes need the store, so few can have been missed.
                    LOG.warn("Listening to operator changes again; a change made while the feed was lost is seen"
                            + " here when the entry is next loaded");
                }
                connectedBefore = true;
                warned = false;
                listen(c);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running && !warned) {
                    LOG.warnf("The change feed lost the store (%s); retrying every second",
                            e instanceof SQLException s ? "SQL state " + s.getSQLState() : e.getClass().getName());
                    warned = true;
                }
            }
            sleep(RECONNECT_MILLIS);
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int quiet = 0;
        while (running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                quiet = 0;
                for (PGNotification n : notifications) {
                    try {
                        deliver(Change.decode(n.getParameter()));
                    } catch (RuntimeException e) {
                        LOG.warn("The change feed ignored a notification it cannot read");
                    }
                }
            } else if (++quiet >= CHECK_EVERY_POLLS) {
                quiet = 0;
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1"); // a silently lost connection fails here
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
