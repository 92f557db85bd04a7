package io.damoov.gateway.routing;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.token.DamoovToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** One client request as it moves along the request path; filled in step by step. */
final class Exchange {

    final long startNanos = System.nanoTime();
    final String requestId;
    final HttpMethod method;
    final String clientIp;
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

    Exchange(String requestId, HttpMethod method, String clientIp) {
        this.requestId = requestId;
        this.method = method;
        this.clientIp = clientIp;
    }

    String tenantId() {
        return caller == null ? null : caller.tenant().id();
    }

    String routeId() {
        return route == null ? "none" : route.id();
    }

    String auditPath() {
        return path == null ? null : "/" + path.upstream() + path.path();
    }

    AuditContext auditContext() {
        return new AuditContext(tenantId(), caller == null ? null : caller.subject(), requestId, clientIp,
                route == null ? null : route.id(), method.name(), auditPath());
    }
}
