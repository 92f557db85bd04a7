package io.damoov.gateway.enrollment;

import java.time.Clock;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.Fingerprint;
import io.damoov.gateway.edge.Caches;
import io.damoov.gateway.edge.GatewayException;
import io.damoov.gateway.edge.Ids;
import io.damoov.gateway.edge.ProblemType;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.UserMapping;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.token.DamoovAuthClient;
import io.damoov.gateway.token.TokenService;
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
    private final DamoovAuthClient damoov;
    private final TokenService tokens;
    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Cache<String, UserMapping> bySubject;
    private final Cache<String, Boolean> tenantDeviceTokens;
    private final java.util.Map<String, Future<UserMapping>> inflight = new java.util.concurrent.ConcurrentHashMap<>();

    public Enrollments(Vertx vertx, Store store, DamoovAuthClient damoov, TokenService tokens, AuditLog audit,
            GatewayMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.damoov = damoov;
        this.tokens = tokens;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.bySubject = Caches.onCallerThread().maximumSize(500_000).build();
        this.tenantDeviceTokens = Caches.onCallerThread().maximumSize(500_000)
                .expireAfterWrite(java.time.Duration.ofMinutes(10)).build();
        metrics.monitorCache("mappings", bySubject);
        metrics.monitorCache("tenant-device-tokens", tenantDeviceTokens);
    }

    /** The caller's mapping, enrolling when needed and allowed. */
    public Future<UserMapping> mappingFor(Caller caller, AuditContext ctx) {
        String key = key(caller.tenant().id(), caller.subject());
        UserMapping cached = bySubject.getIfPresent(key);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        // one store lookup or enrolment per user at a time in this process; other processes wait on the row lock
        io.vertx.core.Promise<UserMapping> promise = io.vertx.core.Promise.promise();
        Future<UserMapping> running = inflight.putIfAbsent(key, promise.future());
        if (running != null) {
            return running;
        }
        vertx.<UserMapping> executeBlocking(() -> load(caller, ctx), false).onComplete(ar -> {
            inflight.remove(key, promise.future());
            promise.handle(ar);
        });
        return promise.future();
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
                metrics.denied(tenant.id(), "not-enrolled");
                throw new GatewayException(ProblemType.NOT_ENROLLED, "not-enrolled",
                        "The user is not enrolled, and tenant '" + tenant.id() + "' does not enroll automatically");
            }
            mapping = store.mappings().enroll(tenant.id(), caller.subject(), proposed -> register(tenant, caller,
                    proposed, ctx));
        }
        bySubject.put(key(tenant.id(), caller.subject()), mapping);
        tenantDeviceTokens.put(key(tenant.id(), mapping.deviceToken()), true);
        return mapping;
    }

    private String register(Tenant tenant, Caller caller, String proposed, AuditContext ctx) {
        long started = clock.millis();
        try {
            DamoovAuthClient.AuthResult result = damoov.register(tenant, proposed, caller.subject());
            String deviceToken = result.deviceToken() != null ? result.deviceToken() : proposed;
            if (result.token() != null) {
                tokens.adopt(TokenKey.user(tenant.id(), deviceToken), result.token());
            }
            metrics.enrollment(tenant.id(), "success");
            record(tenant, caller, ctx, Fingerprint.of(deviceToken), 200, clock.millis() - started, null);
            return deviceToken;
        } catch (DamoovAuthClient.Refused e) {
            metrics.enrollment(tenant.id(), "failure");
            record(tenant, caller, ctx, null, e.status, clock.millis() - started, "registration-refused");
            throw new GatewayException(ProblemType.UPSTREAM_CREDENTIALS, "registration-refused",
                    "Damoov refused to register the user (HTTP " + e.status + ")");
        } catch (DamoovAuthClient.Unavailable e) {
            metrics.enrollment(tenant.id(), "failure");
            record(tenant, caller, ctx, null, 0, clock.millis() - started, "registration-unavailable");
            throw e.timeout
                    ? new GatewayException(ProblemType.GATEWAY_TIMEOUT, "registration-timeout",
                            "Damoov did not answer the registration in time")
                    : new GatewayException(ProblemType.BAD_GATEWAY, "registration-unavailable",
                            "Damoov's registration service could not be reached");
        }
    }

    private void record(Tenant tenant, Caller caller, AuditContext ctx, String fingerprint, int upstreamStatus,
            long latency, String reason) {
        audit.record(new AuditRecord(Ids.uuid7(), clock.instant(), tenant.id(), caller.subject(), "user",
                AuditRecord.ENROLL, fingerprint, ctx.route(), ctx.method(), ctx.path(), 0, upstreamStatus,
                ctx.clientIp(), ctx.requestId(), latency, reason));
    }

    private static String key(String tenant, String subject) {
        return tenant + '\u0000' + subject;
    }
}
