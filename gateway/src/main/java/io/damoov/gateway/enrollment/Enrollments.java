package io.damoov.gateway.enrollment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.Caches;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.Leases;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.SingleFlight;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.Change;
import io.damoov.gateway.store.Mappings;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.StoreException;
import io.damoov.gateway.store.UserMapping;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Maps a tenant's user to a Damoov DeviceToken, registering the user on first use when the tenant allows it.
 * Mappings are cached; a miss reads the store on a worker thread. Enrolment claims the user's row under the unique
 * key (tenant, subject) with a lease ({@code gateway.lease-time}), registers at Damoov outside any transaction, and
 * stores the DeviceToken with a statement that checks the lease: exactly one registration per user even with many
 * first calls in several processes, one pooled connection at a time, and a frozen or killed replica delays the
 * others no longer than its lease. A mapping whose save failed after Damoov registered the user is kept, used and
 * stored again until it is saved.
 */
@Singleton
public class Enrollments {

    private static final Logger LOG = Logger.getLogger(Enrollments.class);
    private static final Duration UNSAVED_RETRY = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Store store;
    private final Registration registration;
    private final Clock clock;
    private final Duration leaseTime;
    private final Cache<String, UserMapping> bySubject;
    private final Cache<String, Boolean> tenantDeviceTokens;
    private final SingleFlight<String, UserMapping> inflight = new SingleFlight<>();
    /** Users registered at Damoov whose mapping could not be stored yet, with the claim's owner. */
    private final Map<String, Unsaved> unsaved = new ConcurrentHashMap<>();

    private record Unsaved(String owner, UserMapping mapping) {
    }

    public Enrollments(Vertx vertx, Store store, Registration registration, GatewayMetrics metrics,
            GatewayConfig config, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.registration = registration;
        this.clock = clock;
        this.leaseTime = config.leaseTime();
        this.bySubject = mappingCache(Caches.mib(config.cache().mappingsMb()));
        this.tenantDeviceTokens = deviceTokenCache(Caches.mib(config.cache().tenantDeviceTokensMb()));
        metrics.monitorCache("mappings", bySubject);
        metrics.monitorCache("tenant-device-tokens", tenantDeviceTokens);
        store.changes().subscribe(this::apply);
        vertx.setPeriodic(UNSAVED_RETRY.toMillis(), id -> {
            if (!unsaved.isEmpty()) {
                vertx.executeBlocking(this::retryUnsaved, false);
            }
        });
    }

    /** The mappings by tenant and subject, bounded by their estimated bytes ({@code gateway.cache.mappings-mb}). */
    public static Cache<String, UserMapping> mappingCache(long maxBytes) {
        return Caches.weighed(maxBytes, (String k, UserMapping m) -> Caches.bytes(k) + 32 + Caches.bytes(m.tenant())
                + Caches.bytes(m.subject()) + Caches.bytes(m.deviceToken()) + 24).build();
    }

    /**
     * DeviceTokens known (not) to belong to a tenant, for ten minutes, bounded by their estimated bytes
     * ({@code gateway.cache.tenant-device-tokens-mb}); the values are the shared {@code Boolean}s.
     */
    public static Cache<String, Boolean> deviceTokenCache(long maxBytes) {
        return Caches.weighed(maxBytes, (String k, Boolean found) -> Caches.bytes(k))
                .expireAfterWrite(java.time.Duration.ofMinutes(10)).build();
    }

    /** The caller's mapping, enrolling when needed and allowed. */
    public Future<UserMapping> mappingFor(Caller caller, AuditContext ctx) {
        String key = key(caller.tenant().id(), caller.subject());
        UserMapping cached = bySubject.getIfPresent(key);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        // one store lookup or enrolment per user at a time in this process; other processes wait for the lease
        return inflight.run(key, () -> vertx.executeBlocking(() -> load(caller, ctx), false));
    }

    /** True when {@code deviceToken} belongs to a user of {@code tenant} (admin-route hygiene). */
    public Future<Boolean> belongsToTenant(String tenant, String deviceToken) {
        Boolean cached = tenantDeviceTokens.getIfPresent(key(tenant, deviceToken));
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return vertx.executeBlocking(() -> {
            boolean found = store.mappings().findByDeviceToken(tenant, deviceToken).isPresent();
            tenantDeviceTokens.put(key(tenant, deviceToken), found);
            return found;
        }, false);
    }

    /** Forgets a cached mapping on every replica (operator changes; blocking: publishes the change). */
    public void evict(String tenant, String subject) {
        store.changes().publish(Change.mappings(tenant, subject));
    }

    /**
     * Forgets the cached mappings of {@code subjects} of a tenant on every replica (bulk import; blocking): one change
     * per subject for a few, one for the whole tenant for more.
     */
    public void evictAll(String tenant, java.util.Collection<String> subjects) {
        if (subjects.size() > 32) {
            store.changes().publish(Change.mappings(tenant, null));
            return;
        }
        for (String subject : subjects) {
            store.changes().publish(Change.mappings(tenant, subject));
        }
    }

    private void apply(Change change) {
        if (Change.MAPPINGS.equals(change.kind())) {
            String prefix = change.tenant() + '\u0000';
            if (change.subject() == null) {
                bySubject.asMap().keySet().removeIf(k -> k.startsWith(prefix));
            } else {
                bySubject.invalidate(key(change.tenant(), change.subject()));
            }
            tenantDeviceTokens.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        }
    }

    private UserMapping load(Caller caller, AuditContext ctx) {
        Tenant tenant = caller.tenant();
        String key = key(tenant.id(), caller.subject());
        Unsaved kept = unsaved.get(key);
        UserMapping mapping = kept != null ? kept.mapping()
                : store.mappings().find(tenant.id(), caller.subject()).orElse(null);
        if (mapping == null) {
            if (!tenant.autoEnroll()) {
                throw new GatewayException(ProblemType.NOT_ENROLLED, "not-enrolled",
                        "The user is not enrolled, and tenant '" + tenant.id() + "' does not enroll automatically");
            }
            mapping = enroll(tenant, caller, ctx);
        }
        bySubject.put(key, mapping);
        tenantDeviceTokens.put(key(tenant.id(), mapping.deviceToken()), true);
        return mapping;
    }

    private UserMapping enroll(Tenant tenant, Caller caller, AuditContext ctx) {
        Instant giveUp = clock.instant().plus(leaseTime.multipliedBy(2));
        for (int attempt = 0;; attempt++) {
            Instant now = clock.instant();
            String owner = Leases.newOwner();
            Instant until = now.plus(leaseTime);
            Mappings.EnrolmentClaim claim = store.mappings().claimEnrolment(tenant.id(), caller.subject(), owner,
                    until, now);
            if (claim instanceof Mappings.Enrolled enrolled) {
                return enrolled.mapping();
            }
            if (claim instanceof Mappings.Busy busy) {
                if (now.isAfter(giveUp)) {
                    throw new GatewayException(ProblemType.IDENTITY_BUSY, "enrolment-busy",
                            "Another replica is enrolling this user; try again shortly", leaseTime);
                }
                Leases.pause(attempt, busy.until(), clock);
                continue;
            }
            Mappings.Claimed claimed = (Mappings.Claimed) claim;
            String deviceToken;
            try {
                deviceToken = registration.register(tenant, caller, claimed, until, ctx);
            } catch (RuntimeException e) {
                release(tenant.id(), caller.subject(), owner);
                // a replica that took the claim over while this one waited (frozen, say) may have enrolled the user
                return enrolledMeanwhile(tenant.id(), caller.subject()).orElseThrow(() -> e);
            }
            UserMapping mapping = new UserMapping(tenant.id(), caller.subject(), deviceToken, clock.instant());
            try {
                if (store.mappings().completeEnrolment(tenant.id(), caller.subject(), owner, deviceToken)) {
                    return mapping;
                }
            } catch (StoreException e) {
                unsaved.put(key(tenant.id(), caller.subject()), new Unsaved(owner, mapping));
                LOG.warnf("The new mapping of a user of tenant %s could not be stored (%s); it is kept in memory and"
                        + " stored again until saved", tenant.id(), e);
                return mapping;
            }
            // the claim was taken over while Damoov answered: the new owner's mapping counts
            return store.mappings().find(tenant.id(), caller.subject()).orElseThrow(
                    () -> new GatewayException(ProblemType.IDENTITY_BUSY, "enrolment-busy",
                            "Another replica is enrolling this user; try again shortly", leaseTime));
        }
    }

    private Optional<UserMapping> enrolledMeanwhile(String tenant, String subject) {
        try {
            return store.mappings().find(tenant, subject);
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    private void release(String tenant, String subject, String owner) {
        try {
            store.mappings().releaseEnrolment(tenant, subject, owner);
        } catch (StoreException e) {
            // the claim ends on its own at its expiry
        }
    }

    private int retryUnsaved() {
        for (Map.Entry<String, Unsaved> e : unsaved.entrySet()) {
            UserMapping m = e.getValue().mapping();
            try {
                store.mappings().completeEnrolment(m.tenant(), m.subject(), e.getValue().owner(), m.deviceToken());
                unsaved.remove(e.getKey(), e.getValue());
                LOG.infof("The kept mapping of a user of tenant %s is stored", m.tenant());
            } catch (StoreException ex) {
                // still unsaved
            }
        }
        return unsaved.size();
    }

    private static String key(String tenant, String subject) {
        return tenant + '\u0000' + subject;
    }
}
