package io.damoov.gateway.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.token.LoginBudget;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the audit log to {@code gateway.audit.retention} (default 3 days), every {@code gateway.audit.purge-every}:
 * creates the coming days' partitions and drops whole days past the retention on PostgreSQL (a batched DELETE on
 * H2), and removes login attempts older than the login-budget window. One replica at a time
 * ({@link Store#exclusively}); time comes from the injected clock, so tests move it and call {@link #runNow()}.
 */
@Singleton
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    static final String JOB = "audit-retention";
    private static final int DAYS_AHEAD = 3;

    private final Store store;
    private final Clock clock;
    private final Duration retention;
    private final Duration loginWindow;

    public AuditRetention(Store store, GatewayConfig config, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.retention = config.audit().retention();
        this.loginWindow = LoginBudget.parse(config.loginBudget()).window();
    }

    /** What one run did; {@code ran} is false when another replica held the job. */
    public record Result(boolean ran, Instant cutoff, long auditPurged, int loginAttemptsPurged) {
    }

    @Scheduled(identity = JOB, every = "${gateway.audit.purge-every:15m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            runNow();
        } catch (RuntimeException e) {
            LOG.warnf("Audit retention failed, retried on the next run: %s", e.getMessage());
        }
    }

    /** Runs the retention now (blocking; the scheduler and tests call it). */
    public synchronized Result runNow() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention);
        return store.exclusively(JOB, () -> {
            store.audit().ensurePartitions(LocalDate.ofInstant(now, ZoneOffset.UTC), DAYS_AHEAD);
            long audit = store.audit().purge(cutoff);
            int logins = store.tokens().purgeLoginAttempts(now.minus(loginWindow));
            LOG.debugf("Audit retention: cutoff %s, %d audit records/partitions and %d login attempts removed",
                    cutoff, audit, logins);
            return new Result(true, cutoff, audit, logins);
        }).orElseGet(() -> new Result(false, cutoff, 0, 0));
    }
}
