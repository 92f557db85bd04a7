package io.damoov.gateway.core;

/**
 * The stable problem types of the gateway's own errors (RFC 9457). The {@code type} URI and the status of each are
 * public API; apps may switch on them.
 */
public enum ProblemType {
    UNAUTHORIZED(401, "unauthorized", "The client token is missing or invalid"),
    FORBIDDEN(403, "forbidden", "The caller may not use this route"),
    NOT_ENROLLED(403, "not-enrolled", "The user is not enrolled and the tenant does not enroll automatically"),
    FOREIGN_IDENTIFIER(403, "foreign-identifier", "A user identifier does not belong to the caller's tenant"),
    NOT_FOUND(404, "not-found", "No route matches the request"),
    UNKNOWN_RESOURCE(404, "unknown-resource", "The tenant or user does not exist"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "The request body's content type is not accepted"),
    OPERATOR_UNAUTHORIZED(401, "operator-unauthorized", "The operator key is missing"),
    OPERATOR_FORBIDDEN(403, "operator-forbidden", "The operator key is not valid"),
    BAD_REQUEST(400, "bad-request", "The request is malformed"),
    URI_TOO_LONG(414, "uri-too-long", "The request line exceeds the gateway's limit"),
    HEAD_TOO_LARGE(431, "request-header-fields-too-large", "The request's headers exceed the gateway's limit"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body exceeds the gateway's limit"),
    UPSTREAM_CREDENTIALS(502, "upstream-credentials", "Damoov refused the gateway's credentials"),
    BAD_GATEWAY(502, "bad-gateway", "Damoov could not be reached"),
    UPSTREAM_CONNECTION_REFUSED(502, "upstream-connection-refused", "Damoov refused the connection"),
    UPSTREAM_CONNECT_TIMEOUT(502, "upstream-connect-timeout", "No connection to Damoov could be made in time"),
    UPSTREAM_TLS_HANDSHAKE(502, "upstream-tls-handshake", "The TLS handshake with Damoov failed"),
    UPSTREAM_CERTIFICATE_UNTRUSTED(502, "upstream-certificate-untrusted",
            "Damoov's certificate is not from a trusted authority"),
    UPSTREAM_HOST_MISMATCH(502, "upstream-host-mismatch", "Damoov's certificate does not name the upstream host"),
    EGRESS_PROXY_REFUSED(502, "egress-proxy-refused", "The egress proxy refused or could not be reached"),
    UPSTREAM_CIRCUIT_OPEN(503, "upstream-circuit-open",
            "Connections to this Damoov host failed repeatedly; the gateway does not try it for a while"),
    LOGIN_BUDGET_EXHAUSTED(503, "login-budget-exhausted", "The Damoov login budget for this identity is spent"),
    UPSTREAM_THROTTLED(503, "upstream-throttled", "Damoov rate-limited the gateway's login"),
    REFRESH_DEFERRED(503, "refresh-deferred",
            "Damoov did not renew the gateway's token (throttled, blocked or failing); the gateway backs off"),
    IDENTITY_BUSY(503, "identity-busy", "Another replica is renewing this identity's Damoov token"),
    STORE_UNAVAILABLE(503, "store-unavailable", "The gateway's store cannot be reached"),
    AUDIT_UNAVAILABLE(503, "audit-unavailable", "The gateway cannot record the request in its audit journal"),
    OVERLOADED(503, "overloaded", "The gateway has no room to buffer the request body"),
    REQUEST_TIMEOUT(408, "request-timeout", "The request body did not arrive in time"),
    GATEWAY_TIMEOUT(504, "gateway-timeout", "Damoov did not answer in time"),
    INTERNAL(500, "internal", "The gateway failed unexpectedly");

    private static final String PREFIX = "urn:damoov-gateway:problem:";

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return PREFIX + slug;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
