package io.damoov.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.Leases;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.StoreException;
import io.damoov.gateway.store.StoredToken;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.Tokens;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;

/**
 * The token lifecycle (docs/routing.md, Damoov tokens) for one identity. Across replicas one refresh or login per
 * identity runs at a time, so a rotating refresh token is spent once; no transaction is open while Damoov is called:
 * <ol>
 * <li>a stored token that is valid beyond the refresh skew (and is not the one Damoov just refused) → use it (one
 * read);</li>
 * <li>else claim the identity's lease (owner, expiry: {@code gateway.lease-time}); while another replica holds a
 * live one, wait for its result (bounded by the lease; an expired lease is taken over);</li>
 * <li>holding the lease: a refresh token → refresh; Damoov's own "refresh token invalid" → log in, if the login
 * budget and Damoov's 429 block allow; a 429, a 403 (Cloudflare), a 5xx or a timeout → back off
 * ({@link RefreshBackoff}) and answer 503 with {@code Retry-After}, no login;</li>
 * <li>store the result with a statement that checks the lease. A result whose save failed is kept in memory, used,
 * and stored again until it is saved ({@link #retryUnsaved}), so a rotated token is never dropped.</li>
 * </ol>
 * Blocking: runs on a worker thread.
 */
@Singleton
public class TokenLifecycle {

    private static final Logger LOG = Logger.getLogger(TokenLifecycle.class);
    private static final Duration DEFAULT_BLOCK = Duration.ofHours(1);

    private final Store store;
    private final Tenants tenants;
    private final DamoovAuthClient damoov;
    private final LoginBudgetTracker budget;
    private final TokenEvents events;
    private final Clock clock;
    private final Duration skew;
    private final Duration leaseTime;
    private final RefreshBackoff backoff;
    /** Tokens Damoov issued whose save failed, with the lease owner that obtained them. */
    private final Map<TokenKey, Unsaved> unsaved = new ConcurrentHashMap<>();

    private record Unsaved(String owner, StoredToken token) {
    }

    public TokenLifecycle(Store store, Tenants tenants, DamoovAuthClient damoov, LoginBudgetTracker budget,
            TokenEvents events, GatewayConfig config, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.damoov = damoov;
        this.budget = budget;
        this.events = events;
        this.clock = clock;
        this.skew = config.refreshSkew();
        this.leaseTime = config.leaseTime();
        this.backoff = new RefreshBackoff(clock);
    }

    /** A token for {@code key}: stored, refreshed or from a login. {@code rejected}: the token Damoov just refused. */
    DamoovToken obtain(TokenKey key, DamoovToken rejected, AuditContext ctx) {
        Tenant tenant = tenants.byId(key.tenant()).orElseThrow();
        Optional<DamoovToken> kept = fromUnsaved(key, rejected);
        if (kept.isPresent()) {
            return kept.get();
        }
        Instant giveUp = clock.instant().plus(leaseTime.multipliedBy(2));
        for (int attempt = 0;; attempt++) {
            Instant now = clock.instant();
            Tokens.State state = store.tokens().state(key);
            if (state.token().isPresent() && usable(state.token().get(), rejected, now)) {
                return DamoovToken.of(state.token().get());
            }
            if (state.leasedAt(now)) {
                if (now.isAfter(giveUp)) {
                    throw busy(Duration.between(now, state.leaseUntil()));
                }
                Leases.pause(attempt, state.leaseUntil(), clock);
                continue;
            }
            String owner = Leases.newOwner();
            if (!store.tokens().claim(key, owner, now.plus(leaseTime), now)) {
                continue; // another replica claimed it between the read and the claim
            }
            return underLease(tenant, key, owner, rejected, ctx);
        }
    }

    /** Refreshes ahead unless a refresh of {@code key} is backing off (a failed refresh-ahead is not re-run). */
    boolean mayRefresh(TokenKey key) {
        return backoff.remaining(key).isEmpty();
    }

    /** Stores tokens that came with a registration, so the new user needs no login. */
    void adopt(TokenKey key, StoredToken token) {
        String owner = Leases.newOwner();
        try {
            store.tokens().storeUnlessLeased(key, owner, token, clock.instant());
        } catch (StoreException e) {
            keepUnsaved(key, owner, token, e);
        }
    }

    /** True when a token Damoov issued is waiting to be stored. */
    boolean hasUnsaved() {
        return !unsaved.isEmpty();
    }

    /** Stores again the tokens whose save failed; returns how many are still unsaved. */
    int retryUnsaved() {
        for (Map.Entry<TokenKey, Unsaved> e : unsaved.entrySet()) {
            trySave(e.getKey(), e.getValue());
        }
        return unsaved.size();
    }

    private DamoovToken underLease(Tenant tenant, TokenKey key, String owner, DamoovToken rejected,
            AuditContext ctx) {
        boolean ended = false;
        try {
            Instant now = clock.instant();
            Tokens.State state = store.tokens().state(key); // what the previous owner left
            if (state.token().isPresent() && usable(state.token().get(), rejected, now)) {
                return DamoovToken.of(state.token().get());
            }
            Optional<StoredToken> refreshed = Optional.empty();
            if (state.token().isPresent() && state.token().get().refreshToken() != null) {
                try {
                    refreshed = refresh(key, state.token().get(), ctx);
                } catch (GatewayException e) {
                    // the lease may have been taken over while Damoov did not answer (this process froze): a token
                    // the new owner stored meanwhile serves
                    Optional<StoredToken> stored = store.tokens().state(key).token()
                            .filter(t -> usable(t, rejected, clock.instant()));
                    if (stored.isPresent()) {
                        return DamoovToken.of(stored.get());
                    }
                    throw e;
                }
            }
            StoredToken issued = refreshed.isPresent() ? refreshed.get() : login(tenant, key, state, now, ctx);
            ended = save(key, owner, issued);
            return DamoovToken.of(issued);
        } finally {
            if (!ended && !unsaved.containsKey(key)) {
                try {
                    store.tokens().release(key, owner);
                } catch (StoreException e) {
                    // the lease ends on its own at its expiry
                }
            }
        }
    }

    private boolean usable(StoredToken t, DamoovToken rejected, Instant now) {
        boolean refused = rejected != null && rejected.accessToken().equals(t.accessToken());
        return !refused && t.expiresAt().isAfter(now.plus(skew));
    }

    /** The new pair, or empty when Damoov says the refresh token is invalid (then a login is due). */
    private Optional<StoredToken> refresh(TokenKey key, StoredToken current, AuditContext ctx) {
        Optional<Duration> waiting = backoff.remaining(key);
        if (waiting.isPresent()) {
            throw deferred(waiting.get());
        }
        String fingerprint = Fingerprint.of(current.accessToken());
        try {
            DamoovAuthClient.AuthResult result = damoov.refresh(current);
            if (result.token() == null) {
                throw new DamoovAuthClient.Refused(400, null);
            }
            backoff.succeeded(key);
            events.refresh(key, ctx, Fingerprint.of(result.token().accessToken()), "success", 200);
            return Optional.of(result.token());
        } catch (DamoovAuthClient.Refused e) {
            events.refresh(key, ctx, fingerprint, "failure", e.status);
            if (e.credentialInvalid()) {
                LOG.debugf("Refresh refused for tenant %s (%s): HTTP %d; logging in", key.tenant(), key.principal(),
                        e.status);
                return Optional.empty();
            }
            Duration wait = backoff.failed(key, e.retryAfter);
            LOG.warnf("Damoov's refresh for tenant %s (%s) answered HTTP %d (%s): no login, next try in %d s",
                    key.tenant(), key.principal(), e.status, e.envelope ? "Damoov" : "not Damoov's answer",
                    wait.toSeconds());
            throw deferred(wait);
        } catch (DamoovAuthClient.Unavailable e) {
            events.refresh(key, ctx, fingerprint, "failure", 0);
            Duration wait = backoff.failed(key, null);
            LOG.warnf("Damoov's refresh for tenant %s (%s) failed (%s): no login, next try in %d s", key.tenant(),
                    key.principal(), e.type.slug(), wait.toSeconds());
            throw deferred(wait);
        }
    }

    private StoredToken login(Tenant tenant, TokenKey key, Tokens.State state, Instant now, AuditContext ctx) {
        if (key.isAdmin() && !tenant.hasAdminCredentials()) {
            throw new GatewayException(ProblemType.UPSTREAM_CREDENTIALS, "no-admin-credentials",
                    "The tenant has no Damoov admin credentials configured");
        }
        Optional<Instant> blocked = state.blockedUntil().filter(now::isBefore);
        if (blocked.isPresent()) {
            events.throttled(key, ctx, "upstream-blocked");
            throw new GatewayException(ProblemType.UPSTREAM_THROTTLED, "upstream-throttled",
                    "Damoov rate-limited logins for this identity", Duration.between(now, blocked.get()));
        }
        List<Instant> attempts = store.tokens().loginsSince(key, now.minus(budget.budget().window()));
        Optional<Duration> wait = budget.budget().waitBeforeNext(attempts, now);
        budget.observe(key, attempts, now);
        if (wait.isPresent()) {
            events.throttled(key, ctx, "login-budget");
            throw new GatewayException(ProblemType.LOGIN_BUDGET_EXHAUSTED, "login-budget",
                    "The Damoov login budget for this identity is spent", wait.get());
        }
        try {
            damoov.refuseIfOpen(); // an open breaker makes no attempt, so it spends no budget
        } catch (DamoovAuthClient.Unavailable e) {
            throw unavailable(e);
        }
        store.tokens().recordLogin(key, now, "attempt");
        budget.observe(key, append(attempts, now), now);
        try {
            DamoovAuthClient.AuthResult result = key.isAdmin() ? damoov.loginAdmin(tenant)
                    : damoov.loginUser(tenant, key.identity());
            if (result.token() == null) {
                throw new DamoovAuthClient.Refused(502, null);
            }
            backoff.succeeded(key);
            events.login(key, ctx, Fingerprint.of(result.token().accessToken()), "success", 200, null);
            return result.token();
        } catch (DamoovAuthClient.Refused e) {
            if (e.status == 429) {
                Duration block = e.retryAfter != null ? e.retryAfter : DEFAULT_BLOCK;
                store.tokens().blockLogins(key, now.plus(block));
                events.login(key, ctx, null, "throttled", 429, "upstream-429");
                throw new GatewayException(ProblemType.UPSTREAM_THROTTLED, "upstream-throttled",
                        "Damoov rate-limited logins for this identity", block);
            }
            events.login(key, ctx, null, "failure", e.status, "login-refused");
            LOG.warnf("Damoov refused the %s login of tenant %s with HTTP %d", key.principal(), key.tenant(),
                    e.status);
            throw new GatewayException(ProblemType.UPSTREAM_CREDENTIALS, "login-refused",
                    "Damoov refused the gateway's credentials for this identity");
        } catch (DamoovAuthClient.Unavailable e) {
            events.login(key, ctx, null, "failure", 0, e.timeout ? "timeout" : "unavailable");
            throw unavailable(e);
        }
    }

    /** Stores what Damoov issued; true when the lease ended with it. A failed save keeps the token in memory. */
    private boolean save(TokenKey key, String owner, StoredToken issued) {
        try {
            if (!store.tokens().store(key, owner, issued)) {
                LOG.warnf("The lease on the Damoov token of tenant %s (%s) was taken over while Damoov answered;"
                        + " the new owner's token is kept", key.tenant(), key.principal());
            }
            return true;
        } catch (StoreException e) {
            keepUnsaved(key, owner, issued, e);
            return false;
        }
    }

    private void keepUnsaved(TokenKey key, String owner, StoredToken token, StoreException e) {
        unsaved.put(key, new Unsaved(owner, token));
        LOG.warnf("A new Damoov token of tenant %s (%s) could not be stored (%s); it is kept in memory and stored"
                + " again until saved", key.tenant(), key.principal(), e);
    }

    private Optional<DamoovToken> fromUnsaved(TokenKey key, DamoovToken rejected) {
        Unsaved u = unsaved.get(key);
        if (u == null) {
            return Optional.empty();
        }
        trySave(key, u);
        if (usable(u.token(), rejected, clock.instant())) {
            return Optional.of(DamoovToken.of(u.token()));
        }
        if (!unsaved.containsKey(key)) {
            return Optional.empty(); // stored now: the lifecycle goes on from the store
        }
        throw StoreException.unreachable(); // neither stored nor usable: the store must answer first
    }

    private void trySave(TokenKey key, Unsaved u) {
        try {
            store.tokens().storeUnlessLeased(key, u.owner(), u.token(), clock.instant());
            unsaved.remove(key, u);
            LOG.infof("The kept Damoov token of tenant %s (%s) is stored", key.tenant(), key.principal());
        } catch (StoreException e) {
            // still unsaved; tried again on the next use and by the periodic retry
        }
    }

    private static List<Instant> append(List<Instant> list, Instant at) {
        List<Instant> copy = new ArrayList<>(list);
        copy.add(at);
        return copy;
    }

    private static GatewayException deferred(Duration wait) {
        return new GatewayException(ProblemType.REFRESH_DEFERRED, "refresh-deferred",
                "Damoov did not renew the gateway's token for this identity; try again later", wait);
    }

    private static GatewayException busy(Duration wait) {
        return new GatewayException(ProblemType.IDENTITY_BUSY, "identity-busy",
                "Another replica is renewing this identity's Damoov token; try again shortly",
                wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1));
    }

    static GatewayException unavailable(DamoovAuthClient.Unavailable e) {
        if (e.type != ProblemType.BAD_GATEWAY && e.type != ProblemType.GATEWAY_TIMEOUT) {
            return new GatewayException(e.type, "auth-" + e.type.slug(), e.type.title(), e.retryAfter);
        }
        return e.timeout
                ? new GatewayException(ProblemType.GATEWAY_TIMEOUT, "auth-timeout", "Damoov did not answer in time")
                : new GatewayException(ProblemType.BAD_GATEWAY, "auth-unavailable",
                        "Damoov's authentication service could not be reached");
    }
}
