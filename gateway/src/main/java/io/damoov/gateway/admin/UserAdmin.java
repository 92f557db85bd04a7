package io.damoov.gateway.admin;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.UserMapping;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;
import io.damoov.gateway.token.TokenService;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * User mappings of a tenant: {@code GET /users?after=&limit=} (keyset on subject), and
 * {@code GET|PUT|DELETE /users/{subject}}. Changes evict the gateway's caches; a removed user's tokens are revoked.
 */
@Singleton
public class UserAdmin {

    static final Pattern DEVICE_TOKEN = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Tenants tenants;
    private final Store store;
    private final Enrollments enrollments;
    private final TokenService tokens;

    public UserAdmin(Tenants tenants, Store store, Enrollments enrollments, TokenService tokens) {
        this.tenants = tenants;
        this.store = store;
        this.enrollments = enrollments;
        this.tokens = tokens;
    }

    void list(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        int limit = AdminHttp.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        String after = AdminHttp.param(ctx, "after");
        AdminHttp.blocking(ctx, () -> store.mappings().list(tenant.id(), after, limit), page -> {
            JsonArray items = new JsonArray();
            page.forEach(m -> items.add(json(m)));
            String next = page.size() == limit ? page.get(page.size() - 1).subject() : null;
            AdminHttp.json(ctx, 200, new JsonObject().put("items", items).put("next", next));
        });
    }

    void get(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        String subject = ctx.pathParam("subject");
        AdminHttp.blocking(ctx, () -> store.mappings().find(tenant.id(), subject)
                .orElseThrow(() -> unknownUser(tenant, subject)), m -> AdminHttp.json(ctx, 200, json(m)));
    }

    void put(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        String subject = ctx.pathParam("subject");
        AdminHttp.body(ctx).onFailure(ctx::fail).onSuccess(body -> {
            String deviceToken;
            try {
                Object v = body.length() == 0 ? null : new JsonObject(body).getValue("deviceToken");
                deviceToken = v instanceof String s ? s : null;
            } catch (DecodeException | ClassCastException e) {
                deviceToken = null;
            }
            String error = invalid(subject, deviceToken);
            if (error != null) {
                ctx.fail(AdminHttp.badRequest("bad-mapping", error));
                return;
            }
            String dt = deviceToken;
            AdminHttp.blocking(ctx, () -> {
                Optional<UserMapping> before = store.mappings().find(tenant.id(), subject);
                var outcome = store.mappings().importBatch(tenant.id(),
                        List.of(new io.damoov.gateway.store.Mappings.ImportRow(subject, dt))).get(0);
                if (outcome == io.damoov.gateway.store.Mappings.ImportOutcome.CONFLICT) {
                    throw AdminHttp.badRequest("device-token-taken",
                            "The DeviceToken is already mapped to another user of tenant " + tenant.id());
                }
                before.ifPresent(b -> tokens.evict(tenant.id(), TokenKey.USER, b.deviceToken()));
                enrollments.evict(tenant.id(), subject);
                return before.isPresent() ? 200 : 201;
            }, status -> AdminHttp.json(ctx, status, new JsonObject().put("tenant", tenant.id())
                    .put("subject", subject).put("deviceToken", dt)));
        });
    }

    void delete(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        String subject = ctx.pathParam("subject");
        AdminHttp.blocking(ctx, () -> {
            UserMapping m = store.mappings().find(tenant.id(), subject)
                    .orElseThrow(() -> unknownUser(tenant, subject));
            store.mappings().delete(tenant.id(), subject);
            store.tokens().delete(tenant.id(), TokenKey.USER, m.deviceToken());
            tokens.evict(tenant.id(), TokenKey.USER, m.deviceToken());
            enrollments.evict(tenant.id(), subject);
            return m;
        }, m -> ctx.response().setStatusCode(204).end());
    }

    /** Why a (subject, DeviceToken) pair cannot be stored, or null. */
    static String invalid(String subject, String deviceToken) {
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            return "subject must be 1 to 255 characters";
        }
        if (subject.chars().anyMatch(Character::isISOControl)) {
            return "subject must not contain control characters";
        }
        if (deviceToken == null || !DEVICE_TOKEN.matcher(deviceToken).matches()) {
            return "deviceToken must be a UUID";
        }
        return null;
    }

    static JsonObject json(UserMapping m) {
        return new JsonObject().put("tenant", m.tenant()).put("subject", m.subject())
                .put("deviceToken", m.deviceToken())
                .put("enrolledAt", m.enrolledAt() == null ? null : m.enrolledAt().toString());
    }

    private static RuntimeException unknownUser(Tenant tenant, String subject) {
        return AdminHttp.unknown("unknown-user", "No user '" + subject + "' in tenant " + tenant.id());
    }
}
