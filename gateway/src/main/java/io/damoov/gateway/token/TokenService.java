package io.damoov.gateway.token;

import java.time.Clock;
import java.time.Duration;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.Caches;
import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.core.SingleFlight;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.Change;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.StoredToken;
import io.damoov.gateway.store.TokenKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Damoov tokens for the request path, without blocking the event loop:
 * <ul>
 * <li>a cached token valid beyond the refresh skew is returned at once (steady state: no store, no upstream);</li>
 * <li>inside the skew the cached token is still returned, and a refresh starts in the background (refresh
 * ahead);</li>
 * <li>otherwise, and after Damoov refused a token, {@link TokenLifecycle} runs on a worker thread. Concurrent
 * callers for one identity share that one run (single flight), so 50 requests after an expiry cost one
 * refresh.</li>
 * </ul>
 */
@Singleton
public class TokenService {

    private static final Duration UNSAVED_RETRY = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Store store;
    private final TokenLifecycle lifecycle;
    private final Clock clock;
    private final Duration skew;
    private final Cache<TokenKey, DamoovToken> cache;
    private final SingleFlight<TokenKey, DamoovToken> inflight = new SingleFlight<>();

    public TokenService(Vertx vertx, TokenLifecycle lifecycle, GatewayConfig config, GatewayMetrics metrics,
            Clock clock, Store store) {
        this.vertx = vertx;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.skew = config.refreshSkew();
        this.cache = newCache(Caches.mib(config.cache().damoovTokensMb()));
        metrics.monitorCache("damoov-tokens", cache);
        this.store = store;
        store.changes().subscribe(this::apply);
        // tokens Damoov issued whose save failed are stored again until saved (TokenLifecycle)
        vertx.setPeriodic(UNSAVED_RETRY.toMillis(), id -> {
            if (lifecycle.hasUnsaved()) {
                vertx.executeBlocking(lifecycle::retryUnsaved, false);
            }
        });
    }

    /**
     * The cache of Damoov tokens, bounded by the estimated bytes of its entries ({@code gateway.cache.damoov-tokens-mb}):
     * the identity's key, the access and refresh tokens, the fingerprint and the {@code Authorization} value.
     */
    public static Cache<TokenKey, DamoovToken> newCache(long maxBytes) {
        return Caches.weighed(maxBytes, (TokenKey k, DamoovToken t) -> 24 + Caches.bytes(k.tenant())
                + Caches.bytes(k.principal()) + Caches.bytes(k.identity()) + 40 + Caches.bytes(t.accessToken())
                + Caches.bytes(t.refreshToken()) + 24 + Caches.bytes(t.fingerprint())
                + Caches.bytes(t.authorization())).build();
    }

    /** A usable token for {@code key}. */
    public Future<DamoovToken> token(TokenKey key, AuditContext ctx) {
        DamoovToken cached = cache.getIfPresent(key);
        if (cached != null) {
            var now = clock.instant();
            if (cached.expiresAt().isAfter(now.plus(skew))) {
                return Future.succeededFuture(cached);
            }
            if (cached.validAt(now)) {
                if (lifecycle.mayRefresh(key)) {
                    // refresh ahead; this request keeps the still-valid token (a failure backs off, not per request)
                    acquire(key, null, ctx);
                }
                return Future.succeededFuture(cached);
            }
        }
        return acquire(key, null, ctx);
    }

    /** A new token after Damoov answered 401 to {@code rejected}. */
    public Future<DamoovToken> renew(TokenKey key, DamoovToken rejected, AuditContext ctx) {
        cache.asMap().remove(key, rejected);
        return acquire(key, rejected, ctx).compose(t -> t.accessToken().equals(rejected.accessToken())
                ? acquire(key, rejected, ctx)
                : Future.succeededFuture(t));
    }

    /**
     * A usable token for {@code key} now (blocking; call from a worker thread): stored, refreshed or from a login,
     * with the lease and the login budget as for any request.
     */
    public DamoovToken obtainNow(TokenKey key, AuditContext ctx) {
        DamoovToken token = lifecycle.obtain(key, null, ctx);
        cache.put(key, token);
        return token;
    }

    /** Stores and caches tokens that came with a registration (blocking; call from a worker thread). */
    public void adopt(TokenKey key, StoredToken token) {
        lifecycle.adopt(key, token);
        cache.put(key, DamoovToken.of(token));
    }

    /**
     * Forgets cached tokens of a tenant (all identities) or of one identity, on every replica; the store is revoked
     * separately (blocking: publishes the change).
     */
    public void evict(String tenant, String principal, String identity) {
        store.changes().publish(Change.tokens(tenant, principal, identity == null ? null : Fingerprint.of(identity)));
    }

    private void apply(Change change) {
        if (Change.TOKENS.equals(change.kind())) {
            cache.asMap().keySet().removeIf(k -> k.tenant().equals(change.tenant())
                    && (change.principal() == null || k.principal().equals(change.principal()))
                    && (change.identityFingerprint() == null
                            || Fingerprint.of(k.identity()).equals(change.identityFingerprint())));
        }
    }

    private Future<DamoovToken> acquire(TokenKey key, DamoovToken rejected, AuditContext ctx) {
        return inflight.run(key, () -> vertx.<DamoovToken> executeBlocking(() -> lifecycle.obtain(key, rejected, ctx),
                false).onSuccess(token -> cache.put(key, token)));
    }
}
