package io.damoov.gateway.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.StoredToken;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.Tokens;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;
import io.damoov.gateway.token.LoginBudget;
import io.damoov.gateway.token.LoginBudgetTracker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/v1/tenants} (configuration with secrets masked, and the admin token's live state) and
 * {@code GET /admin/v1/tenants/{tenant}/login-budget}.
 */
@Singleton
public class TenantAdmin {

    static final String MASK = "***";

    private final Tenants tenants;
    private final Store store;
    private final LoginBudget budget;
    private final Clock clock;

    public TenantAdmin(Tenants tenants, Store store, LoginBudgetTracker budgets, Clock clock) {
        this.tenants = tenants;
        this.store = store;
        this.budget = budgets.budget();
        this.clock = clock;
    }

    void list(RoutingContext ctx) {
        AdminHttp.blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            tenants.all().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(t -> out.add(describe(t)));
            return new JsonObject().put("tenants", out);
        }, body -> AdminHttp.json(ctx, 200, body));
    }

    private JsonObject describe(Tenant t) {
        JsonObject admin = new JsonObject().put("login", t.adminLogin().orElse(null))
                .put("password", t.adminPassword().map(p -> MASK).orElse(null));
        Instant now = clock.instant();
        JsonObject token = new JsonObject().put("held", false);
        if (t.hasAdminCredentials()) {
            Optional<StoredToken> held = store.tokens().read(TokenKey.admin(t.id()));
            token.put("held", held.isPresent())
                    .put("expiresAt", held.map(s -> s.expiresAt().toString()).orElse(null))
                    .put("expired", held.map(s -> !s.expiresAt().isAfter(now)).orElse(null));
        }
        admin.put("token", token);
        return new JsonObject()
                .put("id", t.id())
                .put("issuer", t.issuer())
                .put("jwksUrl", t.jwksUrl().orElse(null))
                .put("publicKey", t.publicKey().isPresent() ? "configured" : null)
                .put("audience", t.audience().orElse(null))
                .put("subjectClaim", t.subjectClaim())
                .put("rolesClaim", t.rolesClaim())
                .put("managerRole", t.managerRole())
                .put("autoEnroll", t.autoEnroll())
                .put("instanceId", t.instanceId())
                .put("instanceKey", MASK)
                .put("admin", admin);
    }

    void loginBudget(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        AdminHttp.blocking(ctx, () -> {
            JsonArray identities = new JsonArray();
            for (Tokens.LoginCount c : store.tokens().loginCounts(tenant.id(), clock.instant().minus(budget.window()))) {
                identities.add(new JsonObject().put("principal", c.principal()).put("identity", c.identity())
                        .put("used", c.count()).put("left", Math.max(0, budget.limit() - c.count())));
            }
            return new JsonObject().put("tenant", tenant.id()).put("limit", budget.limit())
                    .put("window", budget.window().toString()).put("identities", identities);
        }, body -> AdminHttp.json(ctx, 200, body));
    }
}
