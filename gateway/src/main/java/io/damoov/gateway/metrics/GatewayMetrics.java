package io.damoov.gateway.metrics;

import static io.damoov.gateway.metrics.MetricNames.*;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;

import io.damoov.gateway.core.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records every gateway meter. Meters are looked up once per tag combination and kept, so recording on the hot path
 * is a map lookup and an add.
 */
@Singleton
public class GatewayMetrics {

    /** Tag value {@code tenant} of a caller whose tenant could not be determined (bad or foreign token). */
    public static final String UNKNOWN_TENANT = "unknown";

    private final MeterRegistry registry;
    private static final int CLASSES = 10;

    /** tenant → route id → timer per status / 100: no key building on the hot path. */
    private final Map<String, Map<String, AtomicReferenceArray<Timer>>> requestTimers = new ConcurrentHashMap<>();
    /** upstream → timer per status / 100. */
    private final Map<String, AtomicReferenceArray<Timer>> upstreamTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> upstreamUp = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void request(String tenant, String route, int status, long nanos) {
        AtomicReferenceArray<Timer> byClass = requestTimers.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(route, r -> new AtomicReferenceArray<>(CLASSES));
        int c = statusIndex(status);
        Timer timer = byClass.get(c);
        if (timer == null) {
            // registration is idempotent, so a race here registers nothing twice
            timer = Timer.builder(REQUESTS)
                    .description("Client requests through the gateway")
                    .tags(TAG_TENANT, tenant, TAG_ROUTE, route, TAG_STATUS, statusClass(status))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
            byClass.set(c, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void upstream(String upstream, int status, long nanos) {
        AtomicReferenceArray<Timer> byClass = upstreamTimers.computeIfAbsent(upstream,
                u -> new AtomicReferenceArray<>(CLASSES));
        int c = statusIndex(status);
        Timer timer = byClass.get(c);
        if (timer == null) {
            timer = Timer.builder(UPSTREAM_REQUESTS)
                    .description("Calls to Damoov")
                    .tags(TAG_UPSTREAM, upstream, TAG_STATUS, statusClass(status))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
            byClass.set(c, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        upstreamAvailable(upstream, status > 0);
    }

    /** {@code status / 100} as before (statuses 0..99 share one meter), bounded to the array. */
    private static int statusIndex(int status) {
        return Math.min(CLASSES - 1, Math.max(0, status / 100));
    }

    public void upstreamAvailable(String upstream, boolean available) {
        upstreamGauge(upstream).set(available ? 1 : 0);
    }

    private AtomicInteger upstreamGauge(String upstream) {
        return upstreamUp.computeIfAbsent(upstream, u -> {
            AtomicInteger v = new AtomicInteger(1);
            Gauge.builder(UPSTREAM_AVAILABLE, v, AtomicInteger::get)
                    .description("1 when the last call to the upstream got an HTTP answer")
                    .tag(TAG_UPSTREAM, u).register(registry);
            return v;
        });
    }

    /**
     * Per configured upstream: true when the last call got an HTTP answer (or none was made yet), the value of
     * {@code gateway_upstream_available}.
     */
    public Map<String, Boolean> upstreamAvailability() {
        Map<String, Boolean> view = new java.util.TreeMap<>();
        upstreamUp.forEach((u, v) -> view.put(u, v.get() == 1));
        return view;
    }

    /** Registers the availability gauge of an upstream at 1 (no failure seen yet), so every upstream has a series. */
    public void registerUpstream(String upstream) {
        upstreamGauge(upstream);
        UPSTREAM_FAILURE_REASONS.forEach(reason -> upstreamFailures(upstream, reason));
    }

    /** A data call to {@code upstream} that got no HTTP answer, counted by the cause its problem type tells. */
    public void upstreamFailure(String upstream, ProblemType type) {
        String reason = switch (type) {
            case UPSTREAM_CONNECTION_REFUSED -> "connection-refused";
            case UPSTREAM_CONNECT_TIMEOUT -> "connect-timeout";
            case UPSTREAM_TLS_HANDSHAKE -> "tls-handshake";
            case UPSTREAM_CERTIFICATE_UNTRUSTED -> "certificate-untrusted";
            case UPSTREAM_HOST_MISMATCH -> "host-mismatch";
            case EGRESS_PROXY_REFUSED -> "proxy-refused";
            case GATEWAY_TIMEOUT -> "timeout";
            case UPSTREAM_CIRCUIT_OPEN -> "circuit-open";
            default -> "unreachable";
        };
        upstreamFailures(upstream, reason).increment();
    }

    private Counter upstreamFailures(String upstream, String reason) {
        return counter(UPSTREAM_FAILURES, "Calls to Damoov that got no HTTP answer, by cause", TAG_UPSTREAM, upstream,
                TAG_REASON, reason);
    }

    public void refresh(String tenant, String principal, String outcome) {
        refreshes(tenant, principal, outcome).increment();
    }

    public void login(String tenant, String principal, String outcome) {
        logins(tenant, principal, outcome).increment();
    }

    public void enrollment(String tenant, String outcome) {
        enrollments(tenant, outcome).increment();
    }

    public void denied(String tenant, String reason) {
        denials(tenant, reason).increment();
    }

    /**
     * Registers at zero the counters of a configured tenant, for every principal kind, outcome and tenant-level
     * denial reason (and the availability gauges of the configured upstreams elsewhere): so dashboards and alerts
     * have a series, with value 0, before the first event, and {@code increase()} sees the first one. Every tag
     * value comes from a fixed list or the configuration.
     */
    public void registerTenant(String tenant) {
        for (String principal : PRINCIPALS) {
            for (String outcome : REFRESH_OUTCOMES) {
                refreshes(tenant, principal, outcome);
            }
            for (String outcome : LOGIN_OUTCOMES) {
                logins(tenant, principal, outcome);
            }
        }
        for (String outcome : ENROLLMENT_OUTCOMES) {
            enrollments(tenant, outcome);
        }
        for (String reason : TENANT_DENIAL_REASONS) {
            denials(tenant, reason);
        }
    }

    /** Registers at zero the denials of callers whose tenant is unknown (bad or foreign tokens). */
    public void registerUnknownTenant() {
        for (String reason : CLIENT_AUTH_DENIAL_REASONS) {
            denials(UNKNOWN_TENANT, reason);
        }
    }

    private Counter refreshes(String tenant, String principal, String outcome) {
        return counter(TOKEN_REFRESHES, "Damoov token refreshes", TAG_TENANT, tenant, TAG_PRINCIPAL, principal,
                TAG_OUTCOME, outcome);
    }

    private Counter logins(String tenant, String principal, String outcome) {
        return counter(TOKEN_LOGINS, "Damoov logins", TAG_TENANT, tenant, TAG_PRINCIPAL, principal, TAG_OUTCOME,
                outcome);
    }

    private Counter enrollments(String tenant, String outcome) {
        return counter(ENROLLMENTS, "DeviceToken enrolments", TAG_TENANT, tenant, TAG_OUTCOME, outcome);
    }

    private Counter denials(String tenant, String reason) {
        return counter(DENIED, "Requests denied by the gateway", TAG_TENANT, tenant, TAG_REASON, reason);
    }

    public void storeQuery(String operation) {
        counter(STORE_QUERIES, "Queries sent to the store", TAG_OPERATION, operation).increment();
    }

    public Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    public void monitorCache(String cache, Cache<?, ?> c) {
        Gauge.builder(CACHE_HIT_RATIO, c, x -> x.stats().hitRate())
                .description("Hit ratio of a cache since start").tag(TAG_CACHE, cache).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(CACHE_GETS, c, x -> x.stats().hitCount())
                .description("Cache lookups").tags(TAG_CACHE, cache, TAG_RESULT, "hit").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(CACHE_GETS, c, x -> x.stats().missCount())
                .description("Cache lookups").tags(TAG_CACHE, cache, TAG_RESULT, "miss").register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(key(name, tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private static String key(String name, String... tags) {
        StringBuilder key = new StringBuilder(name);
        for (String t : tags) {
            key.append('|').append(t);
        }
        return key.toString();
    }

    private static String statusClass(int status) {
        return status <= 0 ? "none" : (status / 100) + "xx";
    }
}
