package io.damoov.gateway.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;

/**
 * The configured login budget, and the {@code gateway_login_budget_remaining} gauge: per tenant and principal kind,
 * the logins left to the identity that has the fewest left, from the attempts this process has seen in the store.
 * The budget itself is enforced from the store ({@link TokenLifecycle}), not from this view.
 */
@Singleton
public class LoginBudgetTracker {

    private final LoginBudget budget;
    private final Clock clock;
    private final Map<TokenKey, List<Instant>> recent = new ConcurrentHashMap<>();

    public LoginBudgetTracker(GatewayConfig config, GatewayMetrics metrics, Tenants tenants, Clock clock) {
        this.budget = LoginBudget.parse(config.loginBudget());
        this.clock = clock;
        for (Tenant t : tenants.all()) {
            for (String principal : List.of(TokenKey.USER, TokenKey.ADMIN)) {
                metrics.gauge(io.damoov.gateway.metrics.MetricNames.LOGIN_BUDGET_REMAINING,
                        "Damoov logins left in the window for the identity with the fewest left",
                        () -> remaining(t.id(), principal), io.damoov.gateway.metrics.MetricNames.TAG_TENANT, t.id(),
                        io.damoov.gateway.metrics.MetricNames.TAG_PRINCIPAL, principal);
            }
        }
    }

    public LoginBudget budget() {
        return budget;
    }

    void observe(TokenKey key, List<Instant> attemptsInWindow, Instant now) {
        recent.put(key, List.copyOf(attemptsInWindow));
    }

    int remaining(String tenant, String principal) {
        Instant since = clock.instant().minus(budget.window());
        int fewest = budget.limit();
        for (Map.Entry<TokenKey, List<Instant>> e : recent.entrySet()) {
            TokenKey k = e.getKey();
            if (!k.tenant().equals(tenant) || !k.principal().equals(principal)) {
                continue;
            }
            long used = e.getValue().stream().filter(since::isBefore).count();
            if (used == 0) {
                recent.remove(k, e.getValue());
            }
            fewest = (int) Math.min(fewest, budget.limit() - used);
        }
        return Math.max(0, fewest);
    }
}
