package io.damoov.gateway.routing;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.Fingerprint;
import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.edge.BodyReader;
import io.damoov.gateway.edge.GatewayException;
import io.damoov.gateway.edge.Ids;
import io.damoov.gateway.edge.ProblemType;
import io.damoov.gateway.edge.Problems;
import io.damoov.gateway.edge.RequestIds;
import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.tenant.ClientAuthException;
import io.damoov.gateway.tenant.ClientAuthenticator;
import io.damoov.gateway.token.DamoovToken;
import io.damoov.gateway.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/**
 * The request path for {@code /{upstream}/{damoov path}} (see the package description of {@code io.damoov.gateway}):
 * normalise → authenticate → route → resolve the DeviceToken → hygiene → inject the credential → forward → on 401
 * renew once and replay → stream the answer back → audit and metrics. Runs on the event loop; only cache misses go
 * to worker threads.
 */
@Singleton
public class ProxyHandler {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProxyHandler.class);

    private final ClientAuthenticator auth;
    private final RouteTable routes;
    private final Enrollments enrollments;
    private final TokenService tokens;
    private final UpstreamCall upstream;
    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Map<String, UpstreamCall.Target> upstreams;
    private final long maxBody;

    public ProxyHandler(ClientAuthenticator auth, RouteTable routes, Enrollments enrollments, TokenService tokens,
            UpstreamCall upstream, AuditLog audit, GatewayMetrics metrics, Clock clock, GatewayConfig config) {
        this.auth = auth;
        this.routes = routes;
        this.enrollments = enrollments;
        this.tokens = tokens;
        this.upstream = upstream;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        Map<String, UpstreamCall.Target> targets = new HashMap<>();
        config.upstreams().forEach((name, url) -> {
            try {
                targets.put(name, UpstreamCall.Target.of(url));
            } catch (IllegalArgumentException e) {
                // not an http(s) URL: config.ConfigValidator names the key and stops the start
            }
        });
        this.upstreams = Map.copyOf(targets);
        this.maxBody = config.maxBodySize().asLongValue();
    }

    /** Serves one client request; {@code requestId} is the request's settled id (edge.RequestLogContext). */
    public void handle(HttpServerRequest request, String requestId) {
        HttpServerResponse response = request.response();
        Exchange ex = new Exchange(requestId, request.method(),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(), request.headers());
        response.putHeader(RequestIds.HEADER, ex.requestId);
        Future<Buffer> body = BodyReader.read(request, maxBody);
        try {
            ex.path = NormalizedPath.of(request.path());
            ex.query = request.query();
        } catch (GatewayException e) {
            fail(request, ex, e);
            return;
        }
        auth.authenticate(request.getHeader("Authorization"))
                .compose(caller -> {
                    ex.caller = caller;
                    return body;
                })
                .compose(b -> {
                    ex.body = b;
                    return route(ex);
                })
                .compose(v -> prepare(ex))
                .compose(headers -> forward(ex, headers))
                .onSuccess(resp -> respond(request, ex, resp))
                .onFailure(t -> fail(request, ex, internal(t, ex)));
    }

    private Future<Void> route(Exchange ex) {
        if (!upstreams.containsKey(ex.path.upstream())) {
            return Future.failedFuture(notFound());
        }
        Route route = routes.match(ex.path.upstream(), ex.path.path(), ex.method.name()).orElse(null);
        if (route == null) {
            return Future.failedFuture(notFound());
        }
        ex.route = route;
        if (route.credential() == CredentialKind.DENY) {
            return Future.failedFuture(new GatewayException(ProblemType.FORBIDDEN, "denied-route",
                    "This Damoov path is not available through the gateway"));
        }
        if (route.role().isPresent() && !ex.caller.hasRole(route.role().get())) {
            return Future.failedFuture(new GatewayException(ProblemType.FORBIDDEN, "missing-role",
                    "This route needs the role '" + route.role().get() + "'"));
        }
        return Future.succeededFuture();
    }

    /**
     * Resolves the caller's DeviceToken and applies identifier hygiene; returns the headers the gateway itself sets
     * upstream (the client's own go through {@link Headers#forwardRequest} when the request is sent).
     */
    private Future<MultiMap> prepare(Exchange ex) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set(RequestIds.HEADER, ex.requestId);
        String contentType = ex.clientHeaders.get("Content-Type");
        if (ex.route.credential() == CredentialKind.ADMIN) {
            ex.principal = TokenKey.ADMIN;
            Object json = Identifiers.parseJson(ex.body, contentType);
            List<String> ids = new java.util.ArrayList<>(Identifiers.inQuery(ex.query));
            ids.addAll(Identifiers.inJson(json));
            return checkTenantOwns(ex, ids, 0).map(headers);
        }
        ex.principal = ex.route.credential() == CredentialKind.DEVICE ? "device" : TokenKey.USER;
        return enrollments.mappingFor(ex.caller, ex.auditContext()).map(mapping -> {
            ex.deviceToken = mapping.deviceToken();
            ex.query = Identifiers.forceQuery(ex.query, ex.deviceToken);
            Object json = Identifiers.parseJson(ex.body, contentType);
            if (json != null && Identifiers.forceJson(json, ex.deviceToken)) {
                ex.body = Json.encodeToBuffer(json);
            }
            if (ex.route.credential() == CredentialKind.DEVICE) {
                headers.set("DeviceToken", ex.deviceToken);
                headers.set("InstanceId", ex.caller.tenant().instanceId());
                headers.set("InstanceKey", ex.caller.tenant().instanceKey());
                ex.fingerprint = Fingerprint.of(ex.deviceToken);
            }
            return headers;
        });
    }

    private Future<Void> checkTenantOwns(Exchange ex, List<String> ids, int i) {
        if (i >= ids.size()) {
            return Future.succeededFuture();
        }
        return enrollments.belongsToTenant(ex.tenantId(), ids.get(i)).compose(owned -> owned
                ? checkTenantOwns(ex, ids, i + 1)
                : Future.failedFuture(new GatewayException(ProblemType.FOREIGN_IDENTIFIER, "foreign-identifier",
                        "A user identifier in the request does not belong to the caller's tenant")));
    }

    private Future<HttpClientResponse> forward(Exchange ex, MultiMap headers) {
        String uri = ex.path.encodedPath() + (ex.query == null || ex.query.isEmpty() ? "" : "?" + ex.query);
        if (ex.route.credential() == CredentialKind.DEVICE) {
            return send(ex, uri, headers);
        }
        TokenKey key = ex.route.credential() == CredentialKind.ADMIN ? TokenKey.admin(ex.tenantId())
                : TokenKey.user(ex.tenantId(), ex.deviceToken);
        return tokens.token(key, ex.auditContext())
                .compose(token -> sendWithToken(ex, uri, headers, token))
                .compose(resp -> {
                    if (resp.statusCode() != 401) {
                        return Future.succeededFuture(resp);
                    }
                    DamoovToken rejected = ex.token;
                    return discard(resp).compose(ignored -> tokens.renew(key, rejected, ex.auditContext()))
                            .compose(fresh -> sendWithToken(ex, uri, headers, fresh));
                });
    }

    private Future<HttpClientResponse> sendWithToken(Exchange ex, String uri, MultiMap headers, DamoovToken token) {
        headers.set("Authorization", token.authorization());
        ex.fingerprint = token.fingerprint();
        ex.token = token;
        return send(ex, uri, headers);
    }

    private Future<HttpClientResponse> send(Exchange ex, String uri, MultiMap headers) {
        long started = System.nanoTime();
        Future<HttpClientResponse> sent = upstream.send(ex.method, upstreams.get(ex.path.upstream()), uri,
                ex.clientHeaders, headers, ex.body);
        return sent.andThen(ar -> {
            int status = ar.succeeded() ? ar.result().statusCode() : 0;
            ex.upstreamStatus = status;
            metrics.upstream(ex.path.upstream(), status, System.nanoTime() - started);
        });
    }

    private void respond(HttpServerRequest request, Exchange ex, HttpClientResponse resp) {
        if (resp.statusCode() == 401) {
            discard(resp);
            fail(request, ex, new GatewayException(ProblemType.UPSTREAM_CREDENTIALS, "upstream-401",
                    "Damoov refused the gateway's credentials after a renewal"));
            return;
        }
        HttpServerResponse response = request.response();
        response.setStatusCode(resp.statusCode());
        Headers.forwardResponse(resp.headers(), response.headers());
        if (resp.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        resp.pipeTo(response).onComplete(ar -> finish(ex, resp.statusCode(), AuditRecord.USE, null));
    }

    private void fail(HttpServerRequest request, Exchange ex, GatewayException e) {
        Problems.send(request.response(), e, ex.requestId, ex.auditPath());
        ProblemType type = e.type();
        boolean denied = type == ProblemType.UNAUTHORIZED || type == ProblemType.FORBIDDEN
                || type == ProblemType.FOREIGN_IDENTIFIER || type == ProblemType.NOT_ENROLLED;
        if (denied) {
            String tenant = ex.tenantId() != null ? ex.tenantId()
                    : e instanceof ClientAuthException c && c.tenantId() != null ? c.tenantId() : "unknown";
            metrics.denied(tenant, e.reason());
            record(ex, tenant, type.status(), AuditRecord.DENY, e.reason());
        } else if (ex.upstreamStatus != 0 || ex.fingerprint != null) {
            finish(ex, type.status(), AuditRecord.USE, e.reason());
            return;
        }
        metrics.request(ex.tenantId() == null ? "unknown" : ex.tenantId(), ex.routeId(), type.status(),
                System.nanoTime() - ex.startNanos);
    }

    private void finish(Exchange ex, int status, String action, String reason) {
        metrics.request(ex.tenantId(), ex.routeId(), status, System.nanoTime() - ex.startNanos);
        record(ex, ex.tenantId(), status, action, reason);
    }

    private void record(Exchange ex, String tenant, int status, String action, String reason) {
        audit.record(new AuditRecord(Ids.uuid7(), clock.instant(), tenant,
                ex.caller == null ? null : ex.caller.subject(), ex.principal, action, ex.fingerprint,
                ex.route == null ? null : ex.route.id(), ex.method.name(), ex.auditPath(), status, ex.upstreamStatus,
                ex.clientIp, ex.requestId, (System.nanoTime() - ex.startNanos) / 1_000_000, reason));
    }

    private static GatewayException internal(Throwable t, Exchange ex) {
        GatewayException e = GatewayException.from(t);
        if (e.type() == ProblemType.INTERNAL) {
            LOG.errorf(t, "Request %s failed unexpectedly", ex.requestId);
        }
        return e;
    }

    /** Reads and drops a (paused) response body, so its connection goes back to the pool. */
    private static Future<Buffer> discard(HttpClientResponse resp) {
        Future<Buffer> body = resp.body();
        resp.resume();
        return body;
    }

    private static GatewayException notFound() {
        return new GatewayException(ProblemType.NOT_FOUND, "no-route", "No route matches this path and method");
    }
}
