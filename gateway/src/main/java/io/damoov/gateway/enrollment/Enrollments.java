package io.damoov.gateway.enrollment;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.Caches;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.SingleFlight;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.UserMapping;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Maps a tenant's user to a Damoov DeviceToken, registering the user on first use when the tenant allows it.
 * Mappings are cached; a miss reads the store on a worker thread, and enrolment claims a row under the unique key
 * (tenant, subject) so exactly one registration happens per user even with many first calls in several processes.
 */
@Singleton
public class Enrollments {

    private final Vertx vertx;
    private final Store store;
    private final Registration registration;
    private final Cache<String, UserMapping> bySubject;
    private final Cache<String, Boolean> tenantDeviceTokens;
    private final SingleFlight<String, UserMapping> inflight = new SingleFlight<>();

    public Enrollments(Vertx vertx, Store store, Registration registration, GatewayMetrics metrics,
            GatewayConfig config) {
        this.vertx = vertx;
        this.store = store;
        this.registration = registration;
        this.bySubject = mappingCache(Caches.mib(config.cache().mappingsMb()));
        this.tenantDeviceTokens = deviceTokenCache(Caches.mib(config.cache().tenantDeviceTokensMb()));
        metrics.monitorCache("mappings", bySubject);
        metrics.monitorCache("tenant-device-tokens", tenantDeviceTokens);
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
        // one store lookup or enrolment per user at a time in this process; other processes wait on the row lock
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

    /** Forgets a cached mapping (operator changes). */
    public void evict(String tenant, String subject) {
        bySubject.invalidate(key(tenant, subject));
        tenantDeviceTokens.asMap().keySet().removeIf(k -> k.startsWith(tenant + '\u0000'));
    }

    /** Forgets the cached mappings of many subjects of one tenant at once (bulk import). */
    public void evictAll(String tenant, java.util.Collection<String> subjects) {
        for (String subject : subjects) {
            bySubject.invalidate(key(tenant, subject));
        }
        tenantDeviceTokens.asMap().keySet().removeIf(k -> k.startsWith(tenant + '\u0000'));
    }

    private UserMapping load(Caller caller, AuditContext ctx) {
        Tenant tenant = caller.tenant();
        UserMapping mapping = store.mappings().find(tenant.id(), caller.subject()).orElse(null);
        if (mapping == null) {
            if (!tenant.autoEnroll()) {
                throw new GatewayException(ProblemType.NOT_ENROLLED, "not-enrolled",
                        "The user is not enrolled, and tenant '" + tenant.id() + "' does not enroll automatically");
            }
            mapping = store.mappings().enroll(tenant.id(), caller.subject(), proposed -> registration.register(tenant,
                    caller, proposed, ctx));
        }
        bySubject.put(key(tenant.id(), caller.subject()), mapping);
        tenantDeviceTokens.put(key(tenant.id(), mapping.deviceToken()), true);
        return mapping;
    }

    private static String key(String tenant, String subject) {
        return tenant + '\u0000' + subject;
    }
}
