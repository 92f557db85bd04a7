package io.damoov.gateway.sandbox;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.damoov.gateway.sandbox.SandboxRoute.Auth;
import io.damoov.gateway.sandbox.SandboxRoute.Ident;
import io.damoov.gateway.sandbox.SandboxRoute.Invalid;
import io.damoov.gateway.sandbox.SandboxTokens.Check;
import io.damoov.gateway.sandbox.SandboxTokens.Principal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A simulator of the Damoov telematics HTTP API (docs/damoov-api.md), on plain Vert.x, bound to 127.0.0.1. One server
 * serves every Damoov host under a path prefix (see {@link #upstreams()}), a control API under
 * {@code /_sandbox} and demo identity providers under {@code /idp/<name>}.
 * <p>
 * Counter and {@link #failNext} keys: groups {@code login}, {@code refresh}, {@code register}, {@code data};
 * {@code login.user}, {@code login.admin}; per data endpoint {@code profile}, {@code users.find}, {@code trips},
 * {@code trips.admin}, {@code indicators}, {@code indicators.admin}, {@code scorings}, {@code scorings.admin},
 * {@code drivecoins}, {@code tracks}, {@code leaderboard}, {@code vehicles}; outcomes {@code unauthorized} (401s of
 * data endpoints), {@code forbidden} (403s), {@code throttled} (429s); {@code unmatched} (unknown path or method).
 * Identities: DeviceToken for users and DeviceToken-header calls, e-mail for admins, InstanceId for registrations.
 * <p>
 * Control API (plain JSON): {@code POST /_sandbox/expire-all}, {@code /break-refresh}, {@code /reset},
 * {@code GET /_sandbox/counters}, {@code GET /_sandbox/tls} (TLS connections accepted and open: one handshake each),
 * {@code GET|PUT /_sandbox/settings}, {@code POST /_sandbox/instances},
 * {@code /admins}, {@code /users} ({@code {instanceId, deviceToken?}}), {@code /fail-next}
 * ({@code {key, status, times}}), {@code /user-token} ({@code {deviceToken}}), {@code GET /_sandbox/users?instanceId=},
 * {@code GET /_sandbox/requests?key=}.
 */
public final class DamoovSandbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DamoovSandbox.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final SandboxSettings settings = new SandboxSettings();
    private final SandboxCounters counters = new SandboxCounters();
    private final Map<String, Reply> canned = new java.util.concurrent.ConcurrentHashMap<>();
    private final SandboxTokens tokens = new SandboxTokens(settings);
    private final SandboxAccounts accounts = new SandboxAccounts();
    private final LoginLimiter limiter = new LoginLimiter();
    private final Map<String, DemoIdentityProvider> idps = new ConcurrentHashMap<>();
    private final Map<String, SandboxRoute> routes;
    private final SandboxControl control;
    private volatile HttpServer server;
    private volatile int port = -1;
    private volatile SandboxPki.Leaf tls;
    private volatile boolean requireSni;
    private final AtomicInteger tlsConnections = new AtomicInteger();
    private final AtomicInteger refusedWithoutSni = new AtomicInteger();
    private final Set<io.vertx.core.http.HttpConnection> openTls = ConcurrentHashMap.newKeySet();
    private final Map<String, DamoovSandbox> peers = new ConcurrentHashMap<>();

    public DamoovSandbox(Vertx vertx) {
        this.vertx = vertx;
        SandboxAuth auth = new SandboxAuth(settings, tokens, accounts, limiter);
        this.routes = new SandboxEndpoints(settings, accounts).routes(auth);
        this.control = new SandboxControl(this);
    }

    // --- lifecycle -------------------------------------------------------------------------------------------

    /**
     * Starts listening on 127.0.0.1 and blocks until it does. 0 = a free port. Must not be called on an event
     * loop thread (use {@link #startAsync(int)} there).
     */
    public DamoovSandbox start(int port) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("DamoovSandbox.start blocks; call startAsync on an event loop");
        }
        try {
            return startAsync(port).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Damoov sandbox", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot start the Damoov sandbox on port " + port, e);
        }
    }

    /** Starts listening without blocking. */
    public synchronized Future<DamoovSandbox> startAsync(int port) {
        if (server != null) {
            return Future.failedFuture(new IllegalStateException("already started on port " + this.port));
        }
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            if (requireSni && ctx.request().isSSL() && ctx.request().connection().indicatedServerName() == null) {
                ctx.request().connection().close(); // a request read before the connection handler closed it
            } else {
                ctx.next();
            }
        });
        router.route().handler(BodyHandler.create(false).setBodyLimit(1024 * 1024));
        router.route().handler(this::handle);
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port);
        SandboxPki.Leaf leaf = tls;
        if (leaf != null) {
            options.setSsl(true).setSni(true).setKeyCertOptions(
                    new PfxOptions().setPath(leaf.keyStore().toString()).setPassword(leaf.password()));
        }
        HttpServer created = vertx.createHttpServer(options);
        server = created;
        if (leaf != null) {
            created.connectionHandler(this::tlsConnection);
        }
        return created.requestHandler(router).listen().map(s -> {
            this.port = s.actualPort();
            return this;
        }).onFailure(e -> {
            synchronized (this) {
                server = null;
            }
        });
    }

    /**
     * Serves HTTPS with {@code leaf} (call before starting); with {@code requireSni} a connection whose TLS
     * handshake named no server (SNI) is closed before any request is read, as Cloudflare refuses it.
     */
    public synchronized DamoovSandbox tls(SandboxPki.Leaf leaf, boolean requireSni) {
        if (server != null) {
            throw new IllegalStateException("tls must be set before the sandbox starts");
        }
        this.tls = leaf;
        this.requireSni = requireSni;
        return this;
    }

    private void tlsConnection(io.vertx.core.http.HttpConnection connection) {
        if (requireSni && connection.indicatedServerName() == null) {
            refusedWithoutSni.incrementAndGet();
            connection.close();
            return;
        }
        tlsConnections.incrementAndGet();
        openTls.add(connection);
        connection.closeHandler(v -> openTls.remove(connection));
    }

    /**
     * Serves {@code leaf} from now on (a server that renewed its certificate, e.g. from another CA) and closes every
     * open TLS connection, so clients must handshake again against the new certificate. Blocks.
     */
    public void switchCertificate(SandboxPki.Leaf leaf) {
        HttpServer s = server;
        if (s == null || tls == null) {
            throw new IllegalStateException("the sandbox does not serve TLS");
        }
        tls = leaf;
        try {
            s.updateSSLOptions(new io.vertx.core.net.SSLOptions().setKeyCertOptions(
                    new PfxOptions().setPath(leaf.keyStore().toString()).setPassword(leaf.password())), true)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted switching the certificate", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot switch the certificate", e);
        }
        openTls.forEach(io.vertx.core.http.HttpConnection::close);
    }

    /** TLS connections open now. */
    public int openTlsConnections() {
        return openTls.size();
    }

    /** {@code {"connections":n,"open":n,"refusedWithoutSni":n}}: TLS connections accepted (one full handshake each). */
    public JsonObject tlsJson() {
        return new JsonObject().put("connections", tlsConnections.get()).put("open", openTls.size())
                .put("refusedWithoutSni", refusedWithoutSni.get());
    }

    /**
     * Other sandboxes kept with this one under a name (tests: listeners with a foreign or wrong certificate), so a
     * test that is handed this sandbox reaches them too.
     */
    public DamoovSandbox peer(String name, DamoovSandbox other) {
        peers.put(name, other);
        return other;
    }

    /** The sandbox kept as {@code name}, or null. */
    public DamoovSandbox peer(String name) {
        return peers.get(name);
    }

    /** TLS connections accepted (each one a full handshake) since the start. */
    public int tlsConnections() {
        return tlsConnections.get();
    }

    /** TLS connections closed because their handshake named no server. */
    public int refusedWithoutSni() {
        return refusedWithoutSni.get();
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException("the Damoov sandbox is not started");
        }
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, or over TLS {@code https://localhost:<port>} (the name its certificate has). */
    public String baseUrl() {
        return tls != null ? "https://localhost:" + port() : "http://127.0.0.1:" + port();
    }

    /** Base URL per Damoov host, as the gateway's upstream configuration wants them. */
    public Map<String, String> upstreams() {
        String base = baseUrl();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("user", base + "/user");
        m.put("api", base + "/api");
        m.put("mobilesdk", base + "/mobilesdk");
        m.put("leaderboard", base + "/leaderboard");
        m.put("carservice", base + "/carservice/api/carservice");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Stops listening (blocks when not on an event loop). Does not close the Vert.x instance. */
    @Override
    public void close() {
        HttpServer s;
        synchronized (this) {
            s = server;
            server = null;
        }
        if (s == null) {
            return;
        }
        Future<Void> closed = s.close();
        if (!Context.isOnEventLoopThread()) {
            try {
                closed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debugf(e, "closing the Damoov sandbox");
            }
        }
        port = -1;
    }

    // --- instances, admins, users ----------------------------------------------------------------------------

    public void addInstance(String instanceId, String instanceKey) {
        accounts.addInstance(instanceId, instanceKey);
    }

    /** Adds an admin of an existing instance; the admin sees the users of that instance. */
    public void addAdmin(String email, String password, String instanceId) {
        accounts.addAdmin(email, password, instanceId);
    }

    /** DeviceTokens of the registered users of an instance, oldest first. */
    public Set<String> deviceTokens(String instanceId) {
        return accounts.deviceTokens(instanceId);
    }

    /** Registers a user directly (no HTTP, not counted); returns its DeviceToken. null = a random UUID. */
    public String addUser(String instanceId, String deviceToken) {
        SandboxAccounts.User user = accounts.addUser(instanceId, deviceToken, new JsonObject(),
                LocalDateTime.ofInstant(settings.getClock().instant(), ZoneOffset.UTC));
        if (user == null) {
            throw new IllegalArgumentException("DeviceToken already registered: " + deviceToken);
        }
        return user.deviceToken;
    }

    // --- identity providers ----------------------------------------------------------------------------------

    /** The demo IdP of that name, created on first use. */
    public DemoIdentityProvider idp(String name) {
        if (name == null || name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("bad IdP name: " + name);
        }
        return idps.computeIfAbsent(name, n -> new DemoIdentityProvider(n, this::baseUrl));
    }

    // --- knobs -----------------------------------------------------------------------------------------------

    public SandboxSettings settings() {
        return settings;
    }

    /** Every access token issued so far is expired (401 on use); refresh tokens stay valid. */
    public void expireAllTokens() {
        tokens.expireAll();
    }

    /** Every refresh token issued so far becomes unusable (refresh answers settings.refreshFailureStatus). */
    public void breakRefreshTokens() {
        tokens.breakAllRefreshTokens();
    }

    /**
     * The next {@code times} calls of the endpoint key answer {@code status} with an envelope, before any other
     * handling. Keys: "login", "refresh", "register", "data", or a specific data key ("trips", "profile", …).
     * times <= 0 disarms.
     */
    public void failNext(String key, int status, int times) {
        counters.failNext(key, status, times);
    }

    /**
     * The next {@code times} calls of the endpoint key (as {@link #failNext}) are read, counted and recorded, then
     * their connection is closed without an answer: a keep-alive connection the server drops while a request is on
     * its way, as a load balancer or a server's idle timeout does.
     */
    public void closeNext(String key, int times) {
        counters.failNext(key, SandboxCounters.CLOSE, times);
    }

    /**
     * The next call of the endpoint key (as {@link #failNext}) is answered {@code status} with exactly {@code body} as
     * {@code contentType}, whatever it asked: an answer Damoov could send (or a broken one), for tests of what the
     * gateway makes of it.
     */
    public void answerNext(String key, int status, String contentType, String body) {
        canned.put(key, new Reply(status, io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Content-Type",
                contentType), body));
    }

    private Reply takeCanned(List<String> keys) {
        for (String key : keys) {
            Reply r = canned.remove(key);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Counters, recorded requests, armed failures, login windows and settings back to defaults. */
    public void reset() {
        canned.clear();
        counters.reset();
        limiter.reset();
        settings.reset();
    }

    // --- counters --------------------------------------------------------------------------------------------

    public int calls(String key) {
        return counters.calls(key);
    }

    public int callsBy(String key, String identity) {
        return counters.callsBy(key, identity);
    }

    public RecordedRequest last(String key) {
        return counters.last(key);
    }

    public List<RecordedRequest> requests(String key) {
        return counters.requests(key);
    }

    /** {@code {"login":n,...,"byIdentity":{"login":{"<id>":n}}}}. */
    public JsonObject countersJson() {
        return counters.toJson();
    }

    /** Login attempts left in the current window for an identity (DeviceToken or admin e-mail). */
    public int loginAttemptsLeft(String identity) {
        return limiter.remaining(identity, settings);
    }

    /** A valid user access token (user lifetime) for a registered user; not counted as a login. */
    public String issueUserToken(String deviceToken) {
        SandboxAccounts.User user = accounts.user(deviceToken);
        if (user == null) {
            throw new IllegalArgumentException("unknown DeviceToken: " + deviceToken);
        }
        Principal p = new Principal(SandboxTokens.USER, user.deviceToken, user.instanceId, user.deviceToken);
        return tokens.issue(p, settings.getUserTokenLifetime(), false).accessToken();
    }

    /** A valid admin access token (admin lifetime) for a known admin; not counted as a login. */
    public String issueAdminToken(String email) {
        SandboxAccounts.Admin admin = accounts.admin(email);
        if (admin == null) {
            throw new IllegalArgumentException("unknown admin: " + email);
        }
        Principal p = new Principal(SandboxTokens.ADMIN, admin.email(), admin.instanceId(), null);
        return tokens.issue(p, settings.getAdminTokenLifetime(), false).accessToken();
    }

    // --- HTTP ------------------------------------------------------------------------------------------------

    static String normalize(String path) {
        String p = path == null || path.isEmpty() ? "/" : path.toLowerCase(Locale.ROOT);
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private void handle(RoutingContext ctx) {
        String body = ctx.body() == null ? null : ctx.body().asString();
        Exchange ex = Exchange.of(ctx.request(), body);
        String path = normalize(ex.path());
        try {
            if (path.equals("/_sandbox") || path.startsWith("/_sandbox/")) {
                write(ctx, control.handle(path, ex));
                return;
            }
            if (path.startsWith("/idp/")) {
                write(ctx, control.idp(ex));
                return;
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "sandbox control request %s %s failed", ex.method(), ex.path());
            write(ctx, Reply.json(400, new JsonObject().put("error", String.valueOf(e.getMessage())).encode()));
            return;
        }
        SandboxRoute route = routes.get(path);
        if (route == null || !route.methods().contains(ex.method())) {
            counters.count("unmatched", null);
            counters.record("unmatched", ex.record(null));
            write(ctx, route == null ? Reply.error(404) : Reply.error(405));
            return;
        }
        serve(ctx, ex, route);
    }

    private void serve(RoutingContext ctx, Exchange ex, SandboxRoute route) {
        // who is calling (no side effects)
        Check check = null;
        String identity;
        String extraKey = null;
        switch (route.auth()) {
            case USER_JWT, ADMIN_JWT -> {
                check = tokens.checkHeader(ex.header("Authorization"));
                identity = check.principal() == null ? null : check.principal().identity();
            }
            case DEVICE_TOKEN -> identity = ex.header("DeviceToken");
            default -> {
                Ident ident = route.identify().apply(ex);
                identity = ident.identity();
                extraKey = ident.extraKey();
            }
        }
        List<String> keys = new ArrayList<>(3);
        for (String key : new String[] { extraKey, route.name(), route.group() }) {
            if (key != null && !keys.contains(key)) {
                keys.add(key);
            }
        }
        RecordedRequest recorded = ex.record(identity);
        for (String key : keys) {
            counters.count(key, identity);
            counters.record(key, recorded);
        }
        // armed failures first, then normal handling
        Reply reply;
        int failure = counters.takeFailure(keys);
        if (failure == SandboxCounters.CLOSE) {
            ctx.request().connection().close(); // the request was read, and is never answered
            return;
        }
        Reply canned = failure == 0 ? takeCanned(keys) : null;
        if (canned != null) {
            reply = canned;
        } else if (failure > 0) {
            reply = Reply.error(failure);
            if (failure == 429 && settings.isSendRetryAfter()) {
                reply = reply.withHeader("Retry-After", "1");
            }
        } else {
            reply = answer(ex, route, check);
        }
        if (reply.status() == 401 && "data".equals(route.group())) {
            counters.count("unauthorized", identity);
        } else if (reply.status() == 403) {
            counters.count("forbidden", identity);
        } else if (reply.status() == 429) {
            counters.count("throttled", identity);
        }
        Duration delay = route.tokenEndpoint() ? settings.getTokenLatency() : settings.getDataLatency();
        long ms = delay.toMillis();
        if (ms > 0) {
            Reply r = reply;
            vertx.setTimer(ms, t -> write(ctx, r));
        } else {
            write(ctx, reply);
        }
    }

    private Reply answer(Exchange ex, SandboxRoute route, Check check) {
        try {
            if (ex.unsupportedMediaType()) {
                return Reply.error(415);
            }
            Principal caller = null;
            if (route.auth() == Auth.USER_JWT || route.auth() == Auth.ADMIN_JWT) {
                if (check.status() != SandboxTokens.Status.OK) {
                    return Reply.bearerChallenge(check.description());
                }
                boolean wantsUser = route.auth() == Auth.USER_JWT;
                if (check.principal().isUser() != wantsUser) {
                    return Reply.error(403, "Authorization",
                            wantsUser ? "This endpoint needs a user token." : "This endpoint needs an admin token.");
                }
                caller = check.principal();
            } else if (route.auth() == Auth.DEVICE_TOKEN) {
                String deviceToken = ex.header("DeviceToken");
                if (deviceToken == null) {
                    return Reply.error(401, "DeviceToken", "The DeviceToken header is required.");
                }
                SandboxAccounts.User user = accounts.user(deviceToken);
                if (user == null) {
                    return Reply.error(404, "DeviceToken", "Unknown DeviceToken.");
                }
                caller = new Principal(SandboxTokens.USER, user.deviceToken, user.instanceId, user.deviceToken);
            }
            return route.handler().handle(ex, caller);
        } catch (Invalid e) {
            return Reply.validation(e.key, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "sandbox endpoint %s %s failed", ex.method(), ex.path());
            return Reply.error(500);
        }
    }

    static void write(RoutingContext ctx, Reply reply) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status());
        response.headers().addAll(reply.headers());
        if (reply.body() == null) {
            response.end();
        } else {
            response.end(reply.body());
        }
    }

    // --- for the control API ---------------------------------------------------------------------------------

    Map<String, DemoIdentityProvider> idps() {
        return idps;
    }
}
