package io.damoov.gateway.tenant;

import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.SingleFlight;
import io.damoov.gateway.outbound.HostBreaker;
import io.smallrye.jwt.util.KeyUtils;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The verification keys of one tenant: a static key, or a JWKS fetched without blocking and refetched when a token
 * names an unknown {@code kid}, at most once per {@link #MIN_REFETCH_INTERVAL}. A fetch goes through the circuit
 * breaker of the JWKS host: while it is open the fetch fails at once, without a connection attempt, like any failed
 * fetch (the keys already known stay; a token with an unknown {@code kid} is refused).
 */
final class TenantKeys {

    static final Duration MIN_REFETCH_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(TenantKeys.class);

    private final Tenant tenant;
    private final HttpClient http;
    private final HostBreaker breaker;
    private final java.time.Clock clock;
    private final long maxJwks;
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile PublicKey staticKey;
    private volatile long lastFetchMillis = Long.MIN_VALUE / 2;
    private final SingleFlight<String, Void> inflight = new SingleFlight<>();

    TenantKeys(Tenant tenant, HttpClient http, java.time.Clock clock) {
        this(tenant, http, null, clock, 256 * 1024);
    }

    /**
     * {@code breaker}: the JWKS host's circuit breaker (null: fetches unguarded); {@code maxJwks}: the largest JWKS
     * document read ({@code gateway.limits.max-jwks-size}); a larger one is refused.
     */
    TenantKeys(Tenant tenant, HttpClient http, HostBreaker breaker, java.time.Clock clock, long maxJwks) {
        this.maxJwks = maxJwks;
        this.tenant = tenant;
        this.http = http;
        this.breaker = breaker;
        this.clock = clock;
        tenant.publicKey().ifPresent(this::loadStatic);
    }

    private void loadStatic(String text) {
        String trimmed = text.trim();
        try {
            if (trimmed.startsWith("{")) {
                JsonWebKeySet set = trimmed.contains("\"keys\"") ? new JsonWebKeySet(trimmed)
                        : new JsonWebKeySet(JsonWebKey.Factory.newJwk(trimmed));
                keys = toMap(set);
            } else {
                staticKey = KeyUtils.decodePublicKey(trimmed);
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("gateway.tenants." + tenant.id() + ".public-key is not a PEM or JWK key");
        }
    }

    /** The key for {@code kid}; fetches the JWKS when the kid is unknown and the last fetch is old enough. */
    Future<PublicKey> key(String kid) {
        PublicKey found = lookup(kid);
        if (found != null || tenant.jwksUrl().isEmpty()) {
            return found != null ? Future.succeededFuture(found) : Future.failedFuture(unknownKey());
        }
        long now = clock.millis();
        if (now - lastFetchMillis < MIN_REFETCH_INTERVAL.toMillis() && inflight.size() == 0) {
            return Future.failedFuture(unknownKey());
        }
        return refetch().compose(v -> {
            PublicKey k = lookup(kid);
            return k != null ? Future.succeededFuture(k) : Future.failedFuture(unknownKey());
        });
    }

    private PublicKey lookup(String kid) {
        if (staticKey != null) {
            return staticKey;
        }
        Map<String, PublicKey> current = keys;
        if (kid != null) {
            return current.get(kid);
        }
        return current.size() == 1 ? current.values().iterator().next() : null;
    }

    private Future<Void> refetch() {
        return inflight.run(tenant.id(), this::fetch);
    }

    /** One JWKS fetch; never fails: a failed fetch keeps the keys already known. */
    private Future<Void> fetch() {
        lastFetchMillis = clock.millis();
        String url = tenant.jwksUrl().orElseThrow();
        // the breaker sees the connection and the answer's head: any HTTP answer means the host is there
        Supplier<Future<HttpClientResponse>> send = () -> http
                .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(5000))
                .compose(req -> req.send());
        return (breaker == null ? send.get() : breaker.call(send))
                .compose(resp -> resp.statusCode() == 200 ? capped(resp)
                        : Future.failedFuture("JWKS answered HTTP " + resp.statusCode()))
                .transform(ar -> {
                    if (ar.succeeded()) {
                        try {
                            keys = toMap(new JsonWebKeySet(ar.result().toString()));
                        } catch (Exception e) {
                            LOG.warnf("Tenant %s: JWKS at %s is not a valid key set", tenant.id(), url);
                        }
                    } else if (ar.cause() instanceof GatewayException g && g.type() == ProblemType.UPSTREAM_CIRCUIT_OPEN) {
                        LOG.warnf("Tenant %s: JWKS fetch from %s not attempted: the circuit breaker of host %s is open",
                                tenant.id(), url, breaker.host());
                    } else {
                        LOG.warnf("Tenant %s: JWKS fetch from %s failed: %s", tenant.id(), url, ar.cause().getMessage());
                    }
                    return Future.<Void> succeededFuture();
                });
    }

    /** The answer's body, or a failure as soon as it is known to be over {@link #maxJwks} (connection dropped). */
    private Future<Buffer> capped(HttpClientResponse resp) {
        String declared = resp.getHeader("Content-Length");
        try {
            if (declared != null && Long.parseLong(declared.trim()) > maxJwks) {
                resp.exceptionHandler(ignored -> { // the reset below: the failure is returned, not logged by Vert.x
                });
                resp.request().reset();
                return Future.failedFuture("the JWKS is larger than " + maxJwks + " bytes");
            }
        } catch (NumberFormatException e) {
            return Future.failedFuture("the JWKS has a malformed Content-Length");
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        resp.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > maxJwks) {
                promise.tryFail("the JWKS is larger than " + maxJwks + " bytes");
                resp.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        resp.endHandler(v -> promise.tryComplete(body));
        resp.exceptionHandler(promise::tryFail);
        return promise.future();
    }

    private static Map<String, PublicKey> toMap(JsonWebKeySet set) {
        Map<String, PublicKey> map = new HashMap<>();
        int i = 0;
        for (JsonWebKey jwk : set.getJsonWebKeys()) {
            if (jwk instanceof PublicJsonWebKey pk && (jwk.getUse() == null || "sig".equals(jwk.getUse()))) {
                map.put(jwk.getKeyId() != null ? jwk.getKeyId() : "#" + i++, pk.getPublicKey());
            }
        }
        return Map.copyOf(map);
    }

    private ClientAuthException unknownKey() {
        return new ClientAuthException(tenant.id(), "unknown-key", "The token is signed with an unknown key");
    }
}
