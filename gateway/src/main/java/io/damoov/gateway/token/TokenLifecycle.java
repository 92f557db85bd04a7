package io.damoov.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.StoredToken;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.Tokens;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;

/**
 * The token lifecycle (docs/routing.md, Damoov tokens) for one identity, under the identity's store lock so that across
 * replicas one refresh or login runs at a time and a rotating refresh token is spent once:
 * <ol>
 * <li>a stored token that is valid beyond the refresh skew (and is not the one Damoov just refused) → use it;</li>
 * <li>a refresh token → refresh (no rate limit upstream);</li>
 * <li>no refresh token, or the refresh was refused → log in, if the login budget and Damoov's 429 block allow.</li>
 * </ol>
 * Blocking: runs on a worker thread. Its collaborators are the identity's stored tokens, the tenant, Damoov's auth
 * calls, the login budget and the events it records, plus the skew and the clock: one lifecycle, in one place.
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

    public TokenLifecycle(Store store, Tenants tenants, DamoovAuthClient damoov, LoginBudgetTracker budget,
            TokenEvents events, GatewayConfig config, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.damoov = damoov;
        this.budget = budget;
        this.events = events;
        this.clock = clock;
        this.skew = config.refreshSkew();
    }

    /** A token for {@code key}: stored, refreshed or from a login. {@code rejected}: the token Damoov just refused. */
    DamoovToken obtain(TokenKey key, DamoovToken rejected, AuditContext ctx) {
        Tenant tenant = tenants.byId(key.tenant()).orElseThrow();
        return store.tokens().withLock(key, locked -> {
            Instant now = clock.instant();
            Optional<StoredToken> current = locked.current();
            if (current.isPresent() && usable(current.get(), rejected, now)) {
                return DamoovToken.of(current.get());
            }
            if (current.isPresent() && current.get().refreshToken() != null) {
                Optional<DamoovToken> refreshed = refresh(key, current.get(), locked, ctx);
                if (refreshed.isPresent()) {
                    return refreshed.get();
                }
            }
            return login(tenant, key, locked, now, ctx);
        });
    }

    /** Stores tokens that came with a registration, so the new user needs no login. */
    void adopt(TokenKey key, StoredToken token) {
        store.tokens().withLock(key, locked -> {
            locked.save(token);
            return null;
        });
    }

    private boolean usable(StoredToken t, DamoovToken rejected, Instant now) {
        boolean refused = rejected != null && rejected.accessToken().equals(t.accessToken());
        return !refused && t.expiresAt().isAfter(now.plus(skew));
    }

    private Optional<DamoovToken> refresh(TokenKey key, StoredToken current, Tokens.Locked locked, AuditContext ctx) {
        try {
            DamoovAuthClient.AuthResult result = damoov.refresh(current);
            if (result.token() == null) {
                throw new DamoovAuthClient.Refused(400, null);
            }
            locked.save(result.token());
            DamoovToken token = DamoovToken.of(result.token());
            events.refresh(key, ctx, token.fingerprint(), "success", 200);
            return Optional.of(token);
        } catch (DamoovAuthClient.Refused e) {
            events.refresh(key, ctx, Fingerprint.of(current.accessToken()), "failure", e.status);
            LOG.debugf("Refresh refused for tenant %s (%s): HTTP %d; logging in", key.tenant(), key.principal(),
                    e.status);
            return Optional.empty();
        } catch (DamoovAuthClient.Unavailable e) {
            events.refresh(key, ctx, Fingerprint.of(current.accessToken()), "failure", 0);
            throw unavailable(e);
        }
    }

    private DamoovToken login(Tenant tenant, TokenKey key, Tokens.Locked locked, Instant now, AuditContext ctx) {
        if (key.isAdmin() && !tenant.hasAdminCredentials()) {
            throw new GatewayException(ProblemType.UPSTREAM_CREDENTIALS, "no-admin-credentials",
                    "The tenant has no Damoov admin credentials configured");
        }
        Optional<Instant> blocked = locked.blockedUntil().filter(now::isBefore);
        if (blocked.isPresent()) {
            events.throttled(key, ctx, "upstream-blocked");
            throw new GatewayException(ProblemType.UPSTREAM_THROTTLED, "upstream-throttled",
                    "Damoov rate-limited logins for this identity", Duration.between(now, blocked.get()));
        }
        List<Instant> attempts = locked.loginsSince(now.minus(budget.budget().window()));
        Optional<Duration> wait = budget.budget().waitBeforeNext(attempts, now);
        budget.observe(key, attempts, now);
        if (wait.isPresent()) {
            events.throttled(key, ctx, "login-budget");
            throw new GatewayException(ProblemType.LOGIN_BUDGET_EXHAUSTED, "login-budget",
                    "The Damoov login budget for this identity is spent", wait.get());
        }
        locked.recordLogin(now, "attempt");
        budget.observe(key, append(attempts, now), now);
        try {
            DamoovAuthClient.AuthResult result = key.isAdmin() ? damoov.loginAdmin(tenant)
                    : damoov.loginUser(tenant, key.identity());
            if (result.token() == null) {
                throw new DamoovAuthClient.Refused(502, null);
            }
            locked.save(result.token());
            DamoovToken token = DamoovToken.of(result.token());
            events.login(key, ctx, token.fingerprint(), "success", 200, null);
            return token;
        } catch (DamoovAuthClient.Refused e) {
            if (e.status == 429) {
                Duration block = e.retryAfter != null ? e.retryAfter : DEFAULT_BLOCK;
                locked.blockUntil(now.plus(block));
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

    private static List<Instant> append(List<Instant> list, Instant at) {
        List<Instant> copy = new java.util.ArrayList<>(list);
        copy.add(at);
        return copy;
    }

    static GatewayException unavailable(DamoovAuthClient.Unavailable e) {
        if (e.type != ProblemType.BAD_GATEWAY && e.type != ProblemType.GATEWAY_TIMEOUT) {
            return new GatewayException(e.type, "auth-" + e.type.slug(), e.type.title());
        }
        return e.timeout
                ? new GatewayException(ProblemType.GATEWAY_TIMEOUT, "auth-timeout", "Damoov did not answer in time")
                : new GatewayException(ProblemType.BAD_GATEWAY, "auth-unavailable",
                        "Damoov's authentication service could not be reached");
    }
}
