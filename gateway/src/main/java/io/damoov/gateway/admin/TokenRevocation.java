package io.damoov.gateway.admin;

import java.time.Clock;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.StoredToken;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.UserMapping;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;
import io.damoov.gateway.token.TokenService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code DELETE /admin/v1/tenants/{tenant}/tokens[/{subject}]}: drops held Damoov tokens from the store and the
 * cache, so the next use re-authenticates (refresh is gone too, so that is a login). Each revocation is audited.
 */
@Singleton
public class TokenRevocation {

    private final Tenants tenants;
    private final Store store;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Clock clock;

    public TokenRevocation(Tenants tenants, Store store, TokenService tokens, AuditLog audit, Clock clock) {
        this.tenants = tenants;
        this.store = store;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** All of the tenant's users and its admin. */
    void revokeTenant(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        AdminHttp.blocking(ctx, () -> {
            int n = store.tokens().delete(tenant.id(), null, null);
            tokens.evict(tenant.id(), null, null);
            record(ctx, tenant.id(), null, null, null, "revoked " + n + " identities");
            return new JsonObject().put("tenant", tenant.id()).put("revoked", n);
        }, body -> AdminHttp.json(ctx, 200, body));
    }

    /** One user's tokens, found through the user's DeviceToken. */
    void revokeUser(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        String subject = ctx.pathParam("subject");
        AdminHttp.blocking(ctx, () -> {
            UserMapping m = store.mappings().find(tenant.id(), subject).orElseThrow(
                    () -> AdminHttp.unknown("unknown-user", "No user '" + subject + "' in tenant " + tenant.id()));
            TokenKey key = TokenKey.user(tenant.id(), m.deviceToken());
            String fingerprint = store.tokens().read(key).map(StoredToken::accessToken).map(Fingerprint::of)
                    .orElse(null);
            int n = store.tokens().delete(tenant.id(), TokenKey.USER, m.deviceToken());
            tokens.evict(tenant.id(), TokenKey.USER, m.deviceToken());
            record(ctx, tenant.id(), subject, TokenKey.USER, fingerprint, n > 0 ? null : "nothing held");
            return new JsonObject().put("tenant", tenant.id()).put("subject", subject).put("revoked", n);
        }, body -> AdminHttp.json(ctx, 200, body));
    }

    private void record(RoutingContext ctx, String tenant, String subject, String principal, String fingerprint,
            String reason) {
        audit.record(AuditRecord.of(AuditRecord.REVOKE).tenant(tenant).subject(subject).principal(principal)
                .tokenFingerprint(fingerprint).route("admin").method(ctx.request().method().name())
                .path(ctx.normalizedPath()).status(200).clientIp(AdminHttp.clientIp(ctx))
                .requestId(AdminHttp.requestId(ctx)).reason(reason).build(clock));
    }
}
