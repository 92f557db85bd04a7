package io.damoov.gateway.routing;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.token.DamoovToken;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** One client request as it moves along the request path; filled in step by step. */
final class Exchange {

    final long startNanos = System.nanoTime();
    final String requestId;
    final HttpMethod method;
    final String clientIp;
    /** As the client sent them; what may pass upstream is chosen when the request is sent (Headers). */
    final MultiMap clientHeaders;
    NormalizedPath path;
    String query;
    Buffer body;
    Caller caller;
    Route route;
    String deviceToken;
    String fingerprint;
    DamoovToken token;
    String principal;
    int upstreamStatus;
    private NormalizedPath auditPathOf;
    private String auditPath;
    private AuditContext auditContext;
    private Caller auditContextCaller;
    private Route auditContextRoute;

    Exchange(String requestId, HttpMethod method, String clientIp, MultiMap clientHeaders) {
        this.requestId = requestId;
        this.method = method;
        this.clientIp = clientIp;
        this.clientHeaders = clientHeaders;
    }

    String tenantId() {
        return caller == null ? null : caller.tenant().id();
    }

    String routeId() {
        return route == null ? "none" : route.id();
    }

    String auditPath() {
        if (path == null) {
            return null;
        }
        if (auditPathOf != path) {
            auditPath = "/" + path.upstream() + path.path();
            auditPathOf = path;
        }
        return auditPath;
    }

    /** Built once per request (per caller and route, which are set once). */
    AuditContext auditContext() {
        if (auditContext == null || auditContextCaller != caller || auditContextRoute != route) {
            auditContext = new AuditContext(tenantId(), caller == null ? null : caller.subject(), requestId,
                    clientIp, route == null ? null : route.id(), method.name(), auditPath());
            auditContextCaller = caller;
            auditContextRoute = route;
        }
        return auditContext;
    }
}
