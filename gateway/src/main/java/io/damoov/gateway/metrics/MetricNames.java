package io.damoov.gateway.metrics;

import java.util.List;

/**
 * Every meter name and tag key of the gateway, in one place. Names are public API (docs/metrics.md): dashboards and
 * alerts in {@code k8s/} refer to them. Micrometer names use dots; Prometheus shows them with the
 * {@code gateway_} prefix, underscores and the unit suffix (timers {@code _seconds}, counters {@code _total}).
 * <p>
 * Tags carry only bounded values: tenant ids and route ids from configuration, upstream names, outcomes, status
 * classes and reasons; never a subject, DeviceToken, token or raw path.
 */
public final class MetricNames {

    /** Timer: client requests. Tags: tenant, route, status. */
    public static final String REQUESTS = "gateway.requests";
    /** Timer: calls to Damoov data endpoints. Tags: upstream, status. */
    public static final String UPSTREAM_REQUESTS = "gateway.upstream.requests";
    /** Gauge: 1 when the last call to an upstream got an HTTP answer, 0 after a connection failure or timeout. */
    public static final String UPSTREAM_AVAILABLE = "gateway.upstream.available";
    /** Counter: data calls to Damoov that got no HTTP answer, by cause. Tags: upstream, reason. */
    public static final String UPSTREAM_FAILURES = "gateway.upstream.failures";
    /**
     * Gauge: 1 while the circuit breaker of an upstream's host refuses calls without trying. Tags: upstream (an
     * upstream's name, or {@code jwks:<tenant>} for the host of a tenant's JWKS URL).
     */
    public static final String UPSTREAM_CIRCUIT_OPEN = "gateway.upstream.circuit.open";
    /** Counter: Damoov token refreshes. Tags: tenant, principal, outcome. */
    public static final String TOKEN_REFRESHES = "gateway.token.refreshes";
    /** Counter: Damoov logins. Tags: tenant, principal, outcome. */
    public static final String TOKEN_LOGINS = "gateway.token.logins";
    /** Gauge: logins left in the window for the identity of a kind with the fewest left. Tags: tenant, principal. */
    public static final String LOGIN_BUDGET_REMAINING = "gateway.login.budget.remaining";
    /** Counter: enrolments (DeviceToken registrations). Tags: tenant, outcome. */
    public static final String ENROLLMENTS = "gateway.enrollments";
    /** Counter: denied requests. Tags: tenant, reason. */
    public static final String DENIED = "gateway.denied.requests";
    /** Counter: audit records written to the store. */
    public static final String AUDIT_WRITTEN = "gateway.audit.records.written";
    /** Counter: audit records that could not be queued nor journalled (should stay 0). */
    public static final String AUDIT_DROPPED = "gateway.audit.records.dropped";
    /** Counter: audit records spilled to the local journal because the queue was full. */
    public static final String AUDIT_SPILLED = "gateway.audit.records.spilled";
    /** Gauge: audit records waiting in the queue. */
    /** Counter: audit records the store refused on their own, kept in the dead-letter file. */
    public static final String AUDIT_DEAD_LETTERS = "gateway.audit.dead.letters";
    /** Gauge: bytes of the audit journal's segments. */
    public static final String AUDIT_JOURNAL_BYTES = "gateway.audit.journal.bytes";
    /** Gauge: the journal's limit in bytes ({@code gateway.audit.journal-max-size}). */
    public static final String AUDIT_JOURNAL_MAX_BYTES = "gateway.audit.journal.max.bytes";
    /** Gauge: age in seconds of the oldest audit record the store does not hold yet. */
    public static final String AUDIT_JOURNAL_OLDEST = "gateway.audit.journal.oldest.seconds";
    /** Gauge: journal lines skipped as torn (a kill during an append) or unreadable. */
    public static final String AUDIT_JOURNAL_TORN = "gateway.audit.journal.torn.lines";
    public static final String AUDIT_QUEUE_DEPTH = "gateway.audit.queue.depth";
    /** Gauge: capacity of the audit queue. */
    public static final String AUDIT_QUEUE_CAPACITY = "gateway.audit.queue.capacity";
    /** Gauge: hit ratio of a cache since start. Tags: cache. */
    public static final String CACHE_HIT_RATIO = "gateway.cache.hit.ratio";
    /** Counter: cache lookups. Tags: cache, result (hit|miss). */
    public static final String CACHE_GETS = "gateway.cache.gets";
    /** Counter: queries sent to the store (0 per request at steady state). Tags: operation. */
    public static final String STORE_QUERIES = "gateway.store.queries";

    public static final String TAG_TENANT = "tenant";
    public static final String TAG_ROUTE = "route";
    public static final String TAG_STATUS = "status";
    public static final String TAG_UPSTREAM = "upstream";
    public static final String TAG_PRINCIPAL = "principal";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_REASON = "reason";
    public static final String TAG_CACHE = "cache";
    public static final String TAG_RESULT = "result";
    public static final String TAG_OPERATION = "operation";

    /** Values of {@code reason} on {@link #UPSTREAM_FAILURES} (docs/metrics.md). */
    public static final List<String> UPSTREAM_FAILURE_REASONS = List.of("connection-refused", "connect-timeout",
            "tls-handshake", "certificate-untrusted", "host-mismatch", "proxy-refused", "timeout", "circuit-open",
            "unreachable");
    /** Values of {@code principal} on token meters. */
    public static final List<String> PRINCIPALS = List.of("user", "admin");
    /** Values of {@code outcome} on {@link #TOKEN_REFRESHES}. */
    public static final List<String> REFRESH_OUTCOMES = List.of("success", "failure");
    /** Values of {@code outcome} on {@link #TOKEN_LOGINS}: {@code throttled} is a login the budget or Damoov refused. */
    public static final List<String> LOGIN_OUTCOMES = List.of("success", "failure", "throttled");
    /** Values of {@code outcome} on {@link #ENROLLMENTS}. */
    public static final List<String> ENROLLMENT_OUTCOMES = List.of("success", "failure");
    /** Values of {@code reason} on {@link #DENIED} for a caller of a known tenant, registered at zero at start. */
    public static final List<String> TENANT_DENIAL_REASONS = List.of("invalid-token", "unknown-key", "no-subject",
            "denied-route", "missing-role", "foreign-identifier", "not-enrolled");
    /** Values of {@code reason} on {@link #DENIED} with tenant {@link #UNKNOWN_TENANT}, registered at zero at start. */
    public static final List<String> CLIENT_AUTH_DENIAL_REASONS = List.of("missing-token", "malformed-token",
            "bad-algorithm", "unknown-issuer");

    private MetricNames() {
    }
}
