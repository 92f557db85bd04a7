package io.damoov.gateway.store;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.AuditRecords;
import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.quarkus.agroal.DataSource;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * The JDBC store. PostgreSQL (the default datasource) when {@code quarkus.datasource.jdbc.url} is set, else the
 * embedded H2 file database under {@code ./data} (the named datasource {@code embedded}). Migrates its schema with
 * Flyway when created, unless it is already current ({@link Schema}).
 */
@Startup
@Singleton
public class JdbcStore implements Store {

    private static final Logger LOG = Logger.getLogger(JdbcStore.class);

    private final boolean postgres;
    private final Jdbc jdbc;
    private final JdbcMappings mappings;
    private final JdbcTokens tokens;
    private final AuditRecords audit;
    private final ChangeFeed changes;
    private final Map<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();

    public JdbcStore(Instance<AgroalDataSource> defaultDs, @DataSource("embedded") Instance<AgroalDataSource> embedded,
            Instance<Flyway> defaultFlyway, @FlywayDataSource("embedded") Instance<Flyway> embeddedFlyway,
            GatewayConfig config, GatewayMetrics metrics, Clock clock) {
        this.postgres = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                .filter(s -> !s.isBlank()).isPresent();
        AgroalDataSource ds = postgres ? defaultDs.get() : embedded.get();
        this.jdbc = new Jdbc(ds, metrics);
        boolean current = Schema.isCurrent(jdbc);
        if (!current) {
            (postgres ? defaultFlyway : embeddedFlyway).get().migrate();
        }
        LOG.infof("Store: %s, schema version %d (%s)", postgres ? "PostgreSQL" : "embedded H2 under ./data",
                Schema.VERSION, current ? "current, no migration needed" : "migrated");
        this.mappings = new JdbcMappings(jdbc, clock, postgres);
        this.tokens = new JdbcTokens(jdbc, cipher(config), clock);
        this.audit = postgres ? new JdbcAuditRecords(jdbc, true) : embeddedAudit(config);
        audit.ensurePartitions(LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1), 4);
        var cfg = ConfigProvider.getConfig();
        this.changes = new ChangeFeed(jdbc, postgres, cfg.getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                .orElse(null), cfg.getOptionalValue("quarkus.datasource.username", String.class).orElse(null),
                cfg.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
        changes.start();
    }

    /**
     * The embedded store keeps audit records in files ({@link FileAuditRecords}); records an earlier version left in
     * H2's table move there once, and the table is emptied.
     */
    private AuditRecords embeddedAudit(GatewayConfig config) {
        FileAuditRecords files = new FileAuditRecords(java.nio.file.Path.of(config.audit().archive()));
        JdbcAuditRecords table = new JdbcAuditRecords(jdbc, false);
        List<AuditRecord> batch = new ArrayList<>();
        long[] moved = { 0 };
        table.stream(new AuditRecords.AuditQuery(null, null, null, null, null, null, null), r -> {
            batch.add(r);
            if (batch.size() == 5000) {
                files.insert(batch);
                moved[0] += batch.size();
                batch.clear();
            }
        });
        files.insert(batch);
        moved[0] += batch.size();
        if (moved[0] > 0) {
            table.purge(Instant.ofEpochMilli(Long.MAX_VALUE));
            LOG.infof("Audit: moved %d records from the H2 table to %s", moved[0], config.audit().archive());
        }
        return files;
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        changes.close();
    }

    @Override
    public Changes changes() {
        return changes;
    }

    @Override
    public boolean listening() {
        return changes.listening();
    }

    private static TokenCipher cipher(GatewayConfig config) {
        if (config.tokenEncryptionKey().isPresent()) {
            return TokenCipher.fromBase64(config.tokenEncryptionKey().get());
        }
        if (LaunchMode.current().isDevOrTest()) {
            LOG.warn("gateway.token-encryption-key is not set: using a key generated for this run (dev mode only);"
                    + " tokens stored by earlier runs will be replaced by re-authentication");
            return new TokenCipher(TokenCipher.generateKey());
        }
        throw new IllegalStateException("gateway.token-encryption-key must be set (base64, 256 bit)");
    }

    @Override
    public Mappings mappings() {
        return mappings;
    }

    @Override
    public Tokens tokens() {
        return tokens;
    }

    @Override
    public AuditRecords audit() {
        return audit;
    }

    /** The audit records, as the audit log writes them: the log needs this part of the store only. */
    @Produces
    @Singleton
    AuditRecords auditRecords() {
        return audit;
    }

    @Override
    public <T> Optional<T> exclusively(String job, Supplier<T> work) {
        if (!postgres) {
            ReentrantLock lock = localLocks.computeIfAbsent(job, k -> new ReentrantLock());
            if (!lock.tryLock()) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(work.get());
            } finally {
                lock.unlock();
            }
        }
        return jdbc.withConnection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<Boolean> locked = jdbc.query(c, "job.lock", "SELECT pg_try_advisory_xact_lock(hashtext(?))",
                        ps -> ps.setString(1, "damoov-gateway:" + job), rs -> rs.getBoolean(1));
                if (!locked.get(0)) {
                    return Optional.<T> empty();
                }
                return Optional.ofNullable(work.get());
            } finally {
                c.commit(); // releases the advisory lock
                c.setAutoCommit(auto);
            }
        });
    }

    @Override
    public boolean ping() {
        try {
            return jdbc.withConnection(c -> c.isValid(2));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String kind() {
        return postgres ? "postgresql" : "h2";
    }
}
