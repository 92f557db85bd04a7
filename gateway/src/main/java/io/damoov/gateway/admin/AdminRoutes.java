package io.damoov.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.Problems;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The operator API (docs/operator-api.md), registered on the management interface's router only (port 9000), so the public port
 * never serves it. Every call passes {@link OperatorGuard} first; errors are problem+json. It holds the guard and
 * one handler per resource by design: a table of routes, with no logic of its own.
 * <p>
 * The OpenAPI document is a static, hand-written {@code META-INF/openapi.yaml}, served at
 * {@code /admin/v1/openapi.yaml} without a key (it holds no secret): the operator API is plain Vert.x routes, which
 * an annotation scanner would not see, and a static file keeps the native image free of a scanner.
 */
@Singleton
public class AdminRoutes {

    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
    private static final String TENANT = "/admin/v1/tenants/:tenant";

    private final OperatorGuard guard;
    private final TenantAdmin tenants;
    private final UserAdmin users;
    private final MappingImport importer;
    private final TokenRevocation revocation;
    private final AuditAdmin audit;

    public AdminRoutes(OperatorGuard guard, TenantAdmin tenants, UserAdmin users, MappingImport importer,
            TokenRevocation revocation, AuditAdmin audit) {
        this.guard = guard;
        this.tenants = tenants;
        this.users = users;
        this.importer = importer;
        this.revocation = revocation;
        this.audit = audit;
    }

    void init(@Observes ManagementInterface mi) {
        Router router = mi.router();
        Buffer openapi = openapi();
        router.get("/admin/v1/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml").end(openapi));
        router.route("/admin/*").handler(guard::handle).failureHandler(AdminRoutes::problem);
        router.get("/admin/v1/tenants").handler(tenants::list);
        router.get(TENANT + "/login-budget").handler(tenants::loginBudget);
        router.get(TENANT + "/users").handler(users::list);
        // clients may percent-encode the colon
        router.postWithRegex("/admin/v1/tenants/(?<tenant>[^/]+)/users(?::|%3[aA])import").handler(importer::handle);
        router.get(TENANT + "/users/:subject").handler(users::get);
        router.put(TENANT + "/users/:subject").handler(users::put);
        router.delete(TENANT + "/users/:subject").handler(users::delete);
        router.delete(TENANT + "/tokens").handler(revocation::revokeTenant);
        router.delete(TENANT + "/tokens/:subject").handler(revocation::revokeUser);
        router.get("/admin/v1/audit").handler(audit::handle);
        router.route("/admin/*").handler(ctx -> {
            ctx.request().resume();
            ctx.fail(new GatewayException(ProblemType.NOT_FOUND, "no-route",
                    "No operator endpoint matches this path and method"));
        });
    }

    private static void problem(RoutingContext ctx) {
        GatewayException e = ctx.failure() != null ? GatewayException.from(ctx.failure())
                : switch (ctx.statusCode()) {
                    case 404, 405 -> new GatewayException(ProblemType.NOT_FOUND, "no-route",
                            "No operator endpoint matches this path and method");
                    case 413 -> new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, "payload-too-large",
                            "The request body is too large");
                    default -> ctx.statusCode() >= 400 && ctx.statusCode() < 500
                            ? new GatewayException(ProblemType.BAD_REQUEST, "bad-request", "The request is malformed")
                            : GatewayException.from(null);
                };
        if (e.type() == ProblemType.INTERNAL) {
            LOG.errorf(ctx.failure(), "Operator call %s failed (status %d)", ctx.normalizedPath(), ctx.statusCode());
        }
        Problems.send(ctx.response(), e, AdminHttp.requestId(ctx), ctx.normalizedPath());
    }

    private static Buffer openapi() {
        try (InputStream in = AdminRoutes.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            return in == null ? Buffer.buffer("openapi: 3.0.3\n") : Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
