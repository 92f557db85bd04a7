package io.damoov.gateway.token;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.outbound.HostBreaker;
import io.damoov.gateway.outbound.HostBreakers;
import io.damoov.gateway.outbound.OutboundOptions;
import io.damoov.gateway.outbound.TlsMaterial;
import io.damoov.gateway.outbound.UpstreamFailure;
import io.damoov.gateway.store.StoredToken;
import io.damoov.gateway.tenant.Tenant;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Calls Damoov's login, refresh and registration endpoints (blocking; run on a worker thread). Transient failures
 * (5xx, connection failures, timeouts) are retried with backoff; refusals come back as {@link Refused}. No
 * exception message carries a credential. Every call goes through the auth host's circuit breaker
 * ({@link HostBreakers}), which the data calls to that host share.
 */
@Singleton
public class DamoovAuthClient {

    static final int ATTEMPTS = 3;
    /** The upstream that serves auth and registration (its availability is reported as that upstream's). */
    private static final String UPSTREAM = "user";
    private static final long BACKOFF_MILLIS = 200;

    private volatile DamoovAuthApi api;
    private final GatewayConfig config;
    private final OutboundOptions outbound;
    private final TlsMaterial tlsMaterial;
    private final Vertx vertx;
    private final Clock clock;
    private final GatewayMetrics metrics;

    private final boolean proxied;
    private final Duration timeout;
    /** The auth host's circuit breaker, shared with the data calls to that host. */
    private final HostBreaker breaker;

    public DamoovAuthClient(GatewayConfig config, Clock clock, GatewayMetrics metrics, OutboundOptions outbound,
            HostBreakers breakers, Vertx vertx) {
        this.clock = clock;
        this.config = config;
        this.outbound = outbound;
        this.vertx = vertx;
        this.tlsMaterial = new TlsMaterial(outbound, config.upstreamTlsConfigurationName());
        this.metrics = metrics;
        this.proxied = outbound.proxy().isPresent();
        this.timeout = config.authTimeout();
        String base = config.upstreams().get(UPSTREAM);
        this.breaker = base == null ? null : breakers.forUrl(base);
        this.api = base == null ? null : build(base);
    }

    private DamoovAuthApi build(String base) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(base))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.authTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // statuses are ours to read: no exception mapping of 4xx/5xx
                .property("microprofile.rest.client.disable.default.mapper", true)
                // the Damoov hosts' TLS entry, SNI, host-name verification and the egress proxy
                .httpClientOptionsCustomizer(
                        o -> outbound.apply(o, config.upstreamTlsConfigurationName()))
                .build(DamoovAuthApi.class);
    }

    /**
     * A reload of the TLS registry entry that brought other certificates: the REST client is built again with them
     * (its Vert.x client is not reachable to update in place); the previous one is closed once calls under way on it
     * have ended (after the auth timeout).
     */
    void onCertificateUpdated(@Observes CertificateUpdatedEvent event) {
        String base = config.upstreams().get(UPSTREAM);
        if (base == null || !tlsMaterial.changedBy(event)) {
            return;
        }
        DamoovAuthApi previous = api;
        try {
            api = build(base);
        } catch (RuntimeException e) {
            OutboundOptions.logReload("Damoov's auth calls", event.name(), e);
            return;
        }
        OutboundOptions.logReload("Damoov's auth calls", event.name(), null);
        vertx.setTimer(timeout.toMillis() * 2 + 1000, id -> close(previous));
    }

    private static void close(DamoovAuthApi client) {
        if (client instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a client whose calls have ended: nothing to do
            }
        }
    }

    /** Result of a login, refresh or registration. */
    public record AuthResult(String deviceToken, StoredToken token) {
        @Override
        public String toString() {
            return "AuthResult[token=" + token + "]";
        }
    }

    /** Damoov, or Cloudflare in front of it, answered with a 4xx (or a Damoov envelope with a 4xx status). */
    public static final class Refused extends RuntimeException {
        public final int status;
        public final Duration retryAfter;
        /** True when the answer is Damoov's own JSON envelope, not a page of a proxy or a CDN in front of it. */
        public final boolean envelope;

        Refused(int status, Duration retryAfter) {
            this(status, retryAfter, true);
        }

        Refused(int status, Duration retryAfter, boolean envelope) {
            super("Damoov refused with HTTP " + status, null, false, false);
            this.status = status;
            this.retryAfter = retryAfter;
            this.envelope = envelope;
        }

        /**
         * Damoov's own answer that the credential sent is not valid (docs/damoov-api.md: 400 or 401, also 404 and 422
         * as the SDKs treat them): the only refusal of a refresh after which a login is worth its budget. A 403 (a
         * Cloudflare block), a 429, or a page that is not Damoov's JSON is not.
         */
        public boolean credentialInvalid() {
            return envelope && (status == 400 || status == 401 || status == 404 || status == 422);
        }
    }

    /**
     * Damoov could not be reached, answered 5xx, or did not answer in time, after the retries; or the auth host's
     * circuit breaker is open ({@code UPSTREAM_CIRCUIT_OPEN}, with {@link #retryAfter}).
     */
    public static final class Unavailable extends RuntimeException {
        public final boolean timeout;
        /** What failed: {@code BAD_GATEWAY} for a 5xx or a bad body, else the connection failure told apart. */
        public final ProblemType type;
        /** When the auth host's breaker lets a call through again; null unless the breaker is open. */
        public final Duration retryAfter;

        Unavailable(String message, boolean timeout) {
            this(message, timeout ? ProblemType.GATEWAY_TIMEOUT : ProblemType.BAD_GATEWAY);
        }

        Unavailable(String message, ProblemType type) {
            this(message, type, null);
        }

        Unavailable(String message, ProblemType type, Duration retryAfter) {
            super(message, null, false, false);
            this.type = type;
            this.timeout = type == ProblemType.GATEWAY_TIMEOUT;
            this.retryAfter = retryAfter;
        }
    }

    /**
     * Throws {@link Unavailable} while the auth host's circuit breaker refuses calls: checked before a login attempt
     * is recorded, so an open breaker spends no login budget.
     */
    public void refuseIfOpen() {
        if (breaker != null && breaker.refusing()) {
            throw circuitOpen(breaker.open());
        }
    }

    private static Unavailable circuitOpen(GatewayException open) {
        return new Unavailable(open.getMessage(), open.type(), open.retryAfter().orElse(null));
    }

    public AuthResult loginUser(Tenant tenant, String deviceToken) {
        String fields = new JsonObject().put("Devicetoken", deviceToken).encode();
        String body = new JsonObject().put("LoginFields", fields).put("Password", tenant.instanceKey()).encode();
        return once(a -> a.loginUser(tenant.instanceId(), body));
    }

    public AuthResult loginAdmin(Tenant tenant) {
        String fields = new JsonObject().put("email", tenant.adminLogin().orElseThrow()).encode();
        String body = new JsonObject().put("LoginFields", fields).put("Password", tenant.adminPassword().orElseThrow())
                .encode();
        return once(a -> a.loginAdmin(body));
    }

    public AuthResult refresh(StoredToken token) {
        String body = new JsonObject().put("AccessToken", token.accessToken())
                .put("RefreshToken", token.refreshToken()).encode();
        // once: a refresh whose answer was lost may have rotated the token at Damoov; sending the spent one again at
        // once would only be refused (the lifecycle backs off instead)
        return once(a -> a.refresh(body));
    }

    /** Registers a user with {@code proposedDeviceToken} as CustomToken; asks for tokens so no login is needed. */
    public AuthResult register(Tenant tenant, String proposedDeviceToken, String clientId, Instant deadline) {
        String body = new JsonObject().put("CustomToken", proposedDeviceToken).put("CreateAccessToken", true)
                .put("UserFields", new JsonObject().put("ClientId", clientId)).encode();
        return withRetries(a -> a.register(tenant.instanceId(), tenant.instanceKey(), body), deadline);
    }

    /** Logins are not retried: each attempt may count against Damoov's limit. */
    private AuthResult once(Function<DamoovAuthApi, Response> call) {
        return parse(call);
    }

    /** Retries connection failures and 5xx, but never starts an attempt that could outlast {@code deadline}. */
    private AuthResult withRetries(Function<DamoovAuthApi, Response> call, Instant deadline) {
        Unavailable last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                long pause = BACKOFF_MILLIS * (1L << (2 * (attempt - 1)));
                if (clock.instant().plusMillis(pause).plus(timeout).isAfter(deadline)) {
                    break;
                }
                sleep(pause);
            }
            try {
                return parse(call);
            } catch (Unavailable e) {
                last = e;
                if (e.type == ProblemType.UPSTREAM_CIRCUIT_OPEN) {
                    break; // no attempt would be made before the breaker's delay
                }
            }
        }
        throw last;
    }

    private AuthResult parse(Function<DamoovAuthApi, Response> call) {
        DamoovAuthApi client = api;
        if (client == null) {
            throw new Unavailable("gateway.upstreams.user is not configured", false);
        }
        Response response;
        try {
            response = breaker.callBlocking(() -> call.apply(client));
        } catch (jakarta.ws.rs.WebApplicationException e) {
            response = e.getResponse();
        } catch (GatewayException e) { // the breaker is open: no attempt was made
            throw circuitOpen(e);
        } catch (ProcessingException e) {
            metrics.upstreamAvailable(UPSTREAM, false);
            ProblemType type = UpstreamFailure.classify(e, proxied);
            throw new Unavailable(type.title(), type);
        }
        metrics.upstreamAvailable(UPSTREAM, true);
        Response answered = response;
        try (answered) {
            int status = answered.getStatus();
            if (status >= 500) {
                throw new Unavailable("Damoov answered HTTP " + status, false);
            }
            if (status >= 400) {
                String ra = answered.getHeaderString("Retry-After");
                throw new Refused(status, parseRetryAfter(ra), isEnvelope(answered));
            }
            String text = answered.readEntity(String.class);
            JsonObject body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
            JsonObject result = objectIgnoreCase(body, "Result");
            Integer bodyStatus = integerIgnoreCase(body, "Status");
            if (result == null || (bodyStatus != null && bodyStatus >= 400)) {
                throw new Refused(bodyStatus != null ? bodyStatus : 400, null);
            }
            String deviceToken = stringIgnoreCase(result, "DeviceToken");
            JsonObject access = objectIgnoreCase(result, "AccessToken");
            String accessToken = access == null ? null : stringIgnoreCase(access, "Token");
            if (accessToken == null) {
                return new AuthResult(deviceToken, null);
            }
            Integer expiresIn = integerIgnoreCase(access, "ExpiresIn");
            Instant expiresAt = expiry(accessToken, expiresIn);
            return new AuthResult(deviceToken,
                    new StoredToken(accessToken, stringIgnoreCase(result, "RefreshToken"), expiresAt));
        } catch (io.vertx.core.json.DecodeException e) {
            throw new Unavailable("Damoov answered with a body that is not JSON", false);
        }
    }

    /** True when a refusal is Damoov's JSON envelope (an object with {@code Status}, {@code Title} or {@code Errors}). */
    private static boolean isEnvelope(Response answered) {
        String type = answered.getHeaderString("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            return false;
        }
        try {
            String text = answered.readEntity(String.class);
            if (text == null || text.length() > 65_536) {
                return false;
            }
            JsonObject body = new JsonObject(text);
            return valueIgnoreCase(body, "Status") != null || valueIgnoreCase(body, "Title") != null
                    || valueIgnoreCase(body, "Errors") != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The earlier of {@code ExpiresIn} and the JWT's {@code exp}, when readable. */
    Instant expiry(String jwt, Integer expiresIn) {
        Instant now = clock.instant();
        Instant fromExpiresIn = now.plusSeconds(expiresIn != null && expiresIn > 0 ? expiresIn : 3600);
        try {
            String[] parts = jwt.split("\\.");
            if (parts.length >= 2) {
                JsonObject claims = new JsonObject(
                        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
                Long exp = claims.getLong("exp");
                if (exp != null && Instant.ofEpochSecond(exp).isBefore(fromExpiresIn)) {
                    return Instant.ofEpochSecond(exp);
                }
            }
        } catch (RuntimeException e) {
            // opaque token: ExpiresIn alone
        }
        return fromExpiresIn;
    }

    private static Duration parseRetryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static JsonObject objectIgnoreCase(JsonObject o, String key) {
        Object v = valueIgnoreCase(o, key);
        return v instanceof JsonObject j ? j : v instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : null;
    }

    static String stringIgnoreCase(JsonObject o, String key) {
        Object v = valueIgnoreCase(o, key);
        return v == null ? null : v.toString();
    }

    static Integer integerIgnoreCase(JsonObject o, String key) {
        Object v = valueIgnoreCase(o, key);
        return v instanceof Number n ? n.intValue() : null;
    }

    private static Object valueIgnoreCase(JsonObject o, String key) {
        for (String k : o.fieldNames()) {
            if (k.equalsIgnoreCase(key)) {
                return o.getValue(k);
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
