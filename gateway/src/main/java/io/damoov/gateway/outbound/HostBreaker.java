package io.damoov.gateway.outbound;

import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The circuit breaker of one upstream host (Vert.x's {@link CircuitBreaker}): {@code failure-threshold}
 * connection-level failures in a row ({@link UpstreamFailure#connectionLevel}) open it; while open, calls fail at
 * once with 503 {@code upstream-circuit-open} and {@code Retry-After}, without a connection attempt; after
 * {@code delay} one call is let through as a probe (half-open) and its outcome closes or reopens the breaker. An
 * HTTP answer, whatever its status, is a success: Damoov (or Cloudflare in front of it) answered.
 * <p>
 * The guarded call runs on the caller's thread and its own future (or value) is returned as it is: the breaker only
 * decides whether it runs and learns its outcome, so the proxy's hot path gains no extra event-loop hop.
 */
public final class HostBreaker {

    private static final Logger LOG = Logger.getLogger(HostBreaker.class);

    private final String host;
    private final CircuitBreaker breaker;
    private final boolean enabled;
    private final boolean proxied;
    private final long delayMillis;
    private volatile long openedAtNanos;
    private volatile ProblemType lastFailure;

    HostBreaker(Vertx vertx, String host, boolean enabled, int threshold, Duration window, Duration delay,
            boolean proxied) {
        this.host = host;
        this.enabled = enabled;
        this.proxied = proxied;
        this.delayMillis = delay.toMillis();
        this.breaker = CircuitBreaker.create("upstream " + host, vertx, new CircuitBreakerOptions()
                .setMaxFailures(threshold)
                .setFailuresRollingWindow(window.toMillis())
                .setResetTimeout(delayMillis)
                .setTimeout(-1) // the outbound clients' own timeouts apply
                .setMaxRetries(0)
                .setFallbackOnFailure(false)
                .setNotificationAddress(null)); // no event-bus notifications
        breaker.failurePolicy(this::countsAsFailure);
        breaker.openHandler(v -> {
            openedAtNanos = System.nanoTime();
            LOG.warnf("Circuit breaker of upstream host %s opened after %d connection failures in a row (last: %s);"
                    + " calls are refused for %d ms", host, threshold,
                    lastFailure == null ? "unknown" : lastFailure.slug(), delayMillis);
        });
        breaker.halfOpenHandler(v -> LOG.infof("Circuit breaker of upstream host %s half-open: one probe call", host));
        breaker.closeHandler(v -> LOG.infof("Circuit breaker of upstream host %s closed", host));
    }

    /** {@code host:port}. */
    public String host() {
        return host;
    }

    /** True while calls are refused without a connection attempt (open, or half-open with its probe under way). */
    public boolean refusing() {
        return enabled && breaker.state() != CircuitBreakerState.CLOSED;
    }

    /** Runs {@code call} unless the breaker is open; its future is returned as it is. */
    public <T> Future<T> call(Supplier<Future<T>> call) {
        if (!enabled) {
            return call.get();
        }
        @SuppressWarnings("unchecked")
        Future<T>[] ran = new Future[1];
        breaker.<T> execute(promise -> {
            Future<T> f;
            try {
                f = call.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            ran[0] = f;
            f.onComplete(promise);
        });
        return ran[0] != null ? ran[0] : Future.failedFuture(open());
    }

    /** Runs the blocking {@code call} on this thread unless the breaker is open; what it throws is rethrown. */
    public <T> T callBlocking(Supplier<T> call) {
        if (!enabled) {
            return call.get();
        }
        Object[] result = new Object[1];
        RuntimeException[] thrown = new RuntimeException[1];
        boolean[] ran = new boolean[1];
        breaker.<Object> execute(promise -> {
            ran[0] = true;
            try {
                result[0] = call.get();
                promise.complete();
            } catch (RuntimeException e) {
                thrown[0] = e;
                promise.fail(e);
            }
        });
        if (!ran[0]) {
            throw open();
        }
        if (thrown[0] != null) {
            throw thrown[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** The refusal while open; the detail names the cause, not the host (a client sees it). */
    public GatewayException open() {
        long left = delayMillis - (System.nanoTime() - openedAtNanos) / 1_000_000;
        Duration retryAfter = Duration.ofMillis(Math.max(1000, left));
        ProblemType last = lastFailure;
        return new GatewayException(ProblemType.UPSTREAM_CIRCUIT_OPEN, ProblemType.UPSTREAM_CIRCUIT_OPEN.slug(),
                "Connections to this Damoov host failed repeatedly (last: "
                        + (last == null ? "unknown" : last.slug()) + "); the gateway tries again in "
                        + retryAfter.toSeconds() + " s",
                retryAfter);
    }

    private boolean countsAsFailure(Future<?> outcome) {
        if (outcome.succeeded()) {
            return false;
        }
        Throwable t = outcome.cause();
        ProblemType type = t instanceof GatewayException g ? g.type() : UpstreamFailure.classify(t, proxied);
        if (UpstreamFailure.connectionLevel(type)) {
            lastFailure = type;
            return true;
        }
        return false;
    }
}
