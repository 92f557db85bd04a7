package io.damoov.gateway.pipeline;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.outbound.UpstreamTarget;
import io.damoov.gateway.routing.NormalizedPath;
import io.damoov.gateway.routing.Route;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.UserMapping;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.token.DamoovToken;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;

/**
 * One client request on its way through the {@link Pipeline}. What the client sent is fixed at the edge; each step
 * fills in what it decides, once, through the setter named after it (a second call is a bug and throws):
 * <ul>
 * <li>{@link NormalizePath}: {@link #path()}, {@link #query()}</li>
 * <li>{@link Authenticate}: {@link #caller()}, principal {@code user}</li>
 * <li>{@link ReadBody}: {@link #body()}</li>
 * <li>{@link RouteRequest}: {@link #route()}, {@link #target()}, the principal of the route's credential</li>
 * <li>{@link ResolveDeviceToken}: {@link #mapping()}</li>
 * <li>{@link Hygiene}: the forced query and body, {@link #upstreamHeaders()}</li>
 * <li>{@link Credential}: {@link #token()}, {@link #fingerprint()}</li>
 * <li>{@link Forward}: {@link #upstreamResponse()}, {@link #upstreamStatus()}</li>
 * <li>{@link ResponseHygiene}: the answer's body when it was inspected and rewritten</li>
 * </ul>
 * and the step that decides what the exchange was for the audit records its {@link Outcome}.
 */
public final class Exchange {

    private final long startNanos = System.nanoTime();
    private final HttpServerRequest request;
    private final String requestId;
    private final String clientIp;
    private final String fixedRoute;
    private final String fixedPath;
    private final MultiMap upstreamHeaders = MultiMap.caseInsensitiveMultiMap();

    private NormalizedPath path;
    private String query;
    private Buffer inspectedAnswer;
    private Buffer body;
    private Caller caller;
    private String tenantHint;
    private Route route;
    private UpstreamTarget target;
    private String principal;
    private UserMapping mapping;
    private DamoovToken token;
    private String fingerprint;
    private HttpClientResponse upstreamResponse;
    private int upstreamStatus;
    private Outcome outcome;
    private boolean recorded;
    private AuditContext auditContext;
    private String auditPath;

    private Exchange(HttpServerRequest request, String requestId, String fixedRoute, String fixedPath) {
        this.request = request;
        this.requestId = requestId;
        this.clientIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        this.fixedRoute = fixedRoute;
        this.fixedPath = fixedPath;
    }

    /** A request for the proxy: route and path come from the route table and the normalised path. */
    public static Exchange proxied(HttpServerRequest request, String requestId) {
        return new Exchange(request, requestId, null, null);
    }

    /** A request for one of the gateway's own endpoints, audited under a fixed route id and path. */
    public static Exchange own(HttpServerRequest request, String requestId, String route, String path) {
        return new Exchange(request, requestId, route, path);
    }

    // --- what the client sent ---------------------------------------------------------------------------------

    public HttpServerRequest request() {
        return request;
    }

    public String requestId() {
        return requestId;
    }

    public String clientIp() {
        return clientIp;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The client's headers as sent; what may pass upstream is chosen when the request is sent. */
    public MultiMap clientHeaders() {
        return request.headers();
    }

    // --- what the steps decided -------------------------------------------------------------------------------

    public NormalizedPath path() {
        return path;
    }

    public String query() {
        return query;
    }

    void normalized(NormalizedPath path, String query) {
        this.path = once(this.path, path, "path");
        this.query = query;
    }

    /** Damoov's answer body as {@link ResponseHygiene} rewrote it; null when it is streamed as it arrives. */
    Buffer inspectedAnswer() {
        return inspectedAnswer;
    }

    void inspectedAnswer(Buffer body) {
        this.inspectedAnswer = once(this.inspectedAnswer, body, "inspectedAnswer");
    }

    public Buffer body() {
        return body;
    }

    void bodyRead(Buffer body) {
        this.body = once(this.body, body, "body");
    }

    /** Identifier hygiene: the query and body as they go upstream. */
    void forced(String query, Buffer body) {
        this.query = query;
        this.body = body;
    }

    public Caller caller() {
        return caller;
    }

    void authenticated(Caller caller) {
        this.caller = once(this.caller, caller, "caller");
        this.principal = TokenKey.USER;
    }

    /** The tenant named by a refused client token, when its issuer was recognised. */
    void tenantHint(String tenant) {
        this.tenantHint = tenant;
    }

    public String tenantId() {
        return caller != null ? caller.tenant().id() : tenantHint;
    }

    public Route route() {
        return route;
    }

    public UpstreamTarget target() {
        return target;
    }

    void routed(Route route, UpstreamTarget target) {
        this.route = once(this.route, route, "route");
        this.target = target;
        this.auditContext = null;
    }

    /** The kind of Damoov credential the caller asked for: user, admin or device; null before authentication. */
    public String principal() {
        return principal;
    }

    void principal(String principal) {
        this.principal = principal;
    }

    /** The caller's mapping to a Damoov user; null on admin routes, which act for the tenant. */
    public UserMapping mapping() {
        return mapping;
    }

    public String deviceToken() {
        return mapping == null ? null : mapping.deviceToken();
    }

    void mapping(UserMapping mapping) {
        this.mapping = once(this.mapping, mapping, "mapping");
    }

    /** The headers the gateway itself sets upstream (request id, credential). */
    public MultiMap upstreamHeaders() {
        return upstreamHeaders;
    }

    public DamoovToken token() {
        return token;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The credential in use; set again when a 401 renewed it. */
    void credential(DamoovToken token, String fingerprint) {
        this.token = token;
        this.fingerprint = fingerprint;
    }

    public HttpClientResponse upstreamResponse() {
        return upstreamResponse;
    }

    public int upstreamStatus() {
        return upstreamStatus;
    }

    void answered(HttpClientResponse response, int status) {
        this.upstreamResponse = response;
        this.upstreamStatus = status;
    }

    // --- the outcome --------------------------------------------------------------------------------------------

    public Outcome outcome() {
        return outcome;
    }

    void outcome(Outcome outcome) {
        this.outcome = outcome;
    }

    /** True the first time only: the exchange's audit record is made once. */
    boolean markRecorded() {
        if (recorded) {
            return false;
        }
        recorded = true;
        return true;
    }

    /**
     * Records a denial whose request left the connection unreadable (its framing, a head Netty could not decode):
     * the answer says {@code Connection: close} and the connection is closed once it is sent.
     */
    <T> Future<T> denyAndClose(GatewayException e) {
        request.response().putHeader("Connection", "close").endHandler(v -> request.connection().close());
        return deny(e);
    }

    /** Records a denial and fails the step with it. */
    <T> Future<T> deny(GatewayException e) {
        this.outcome = Outcome.deny(e.reason());
        return Future.failedFuture(e);
    }

    // --- labels ---------------------------------------------------------------------------------------------------

    /** The route id for metrics and audit: the matched route, the endpoint's own, or {@code none}. */
    public String routeId() {
        return route != null ? route.id() : fixedRoute != null ? fixedRoute : "none";
    }

    /** The route id for the audit record: null when no route was matched. */
    String auditRoute() {
        return route != null ? route.id() : fixedRoute;
    }

    /** The path without its query, as audited; null when the path could not be read. */
    public String auditPath() {
        if (fixedPath != null) {
            return fixedPath;
        }
        if (path != null && auditPath == null) {
            auditPath = "/" + path.upstream() + path.path();
        }
        return auditPath;
    }

    /** What the token and enrolment steps record about the request they serve; built once per route. */
    public AuditContext auditContext() {
        if (auditContext == null) {
            auditContext = new AuditContext(tenantId(), caller == null ? null : caller.subject(), requestId,
                    clientIp, auditRoute(), request.method().name(), auditPath());
        }
        return auditContext;
    }

    private static <T> T once(T current, T value, String what) {
        if (current != null) {
            throw new IllegalStateException(what + " is decided once per exchange");
        }
        return value;
    }
}
