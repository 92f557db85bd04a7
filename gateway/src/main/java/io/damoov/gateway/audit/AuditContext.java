package io.damoov.gateway.audit;

/** What the request path knows about the request an event belongs to. */
public record AuditContext(String tenant, String subject, String requestId, String clientIp, String route,
        String method, String path) {

    public static AuditContext system(String tenant, String subject) {
        return new AuditContext(tenant, subject, null, null, null, null, null);
    }
}
