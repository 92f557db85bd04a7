package io.damoov.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The gateway's configuration (docs/configuration.md). Names are public API. {@code startup.ConfigValidator} checks what the
 * types cannot.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Upstream name (the first path segment of a client request) → base URL. */
    Map<String, String> upstreams();

    /** Ordered route rules, first match wins. Absent: the shipped defaults ({@code DefaultRoutes}). */
    Optional<List<RouteRule>> routes();

    /** Tenants by id. */
    Map<String, TenantConfig> tenants();

    /** Logins allowed per identity per window, {@code <count>/<ISO-8601 duration>}. Default {@code 5/PT1H}. */
    @WithDefault("5/PT1H")
    String loginBudget();

    /** Time allowed for one upstream call; exceeded → 504. */
    @WithDefault("PT30S")
    Duration upstreamTimeout();

    /** Time allowed for one call to Damoov's login, refresh or registration; must be shorter than the lease time. */
    @WithDefault("PT10S")
    Duration authTimeout();

    /**
     * How long a replica may hold an identity's (or a new user's) lease while it calls Damoov to refresh, log in or
     * register; after it, another replica takes over. Also the longest a caller waits for another's lease.
     */
    @WithDefault("PT20S")
    Duration leaseTime();

    /** Time allowed to establish an upstream connection; exceeded or refused → 502. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /** Largest request body buffered for replay; larger → 413. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /**
     * Largest Damoov answer buffered for pseudonymising DeviceTokens (JSON on user and device routes); larger → 502.
     */
    @WithDefault("8M")
    MemorySize maxInspectedResponseSize();

    /**
     * Request headers forwarded to Damoov besides the built-in allow-list (docs/routing.md, header hygiene). Names
     * with an underscore, credentials and hop-by-hop headers never pass, listed or not.
     */
    Optional<List<String>> forwardHeaders();

    /** Base64 AES-256 key for Damoov tokens at rest. Required outside dev/test; pseudonyms are derived from it. */
    Optional<String> tokenEncryptionKey();

    /** Allowed clock skew when verifying client JWTs. */
    @WithDefault("PT30S")
    Duration clockSkew();

    /** Refresh Damoov tokens this long before they expire. */
    @WithDefault("PT5M")
    Duration refreshSkew();

    /** Upper bound of connections per upstream host. */
    @WithDefault("512")
    int upstreamPoolSize();

    /**
     * A Quarkus TLS registry entry ({@code quarkus.tls.<name>.*}) whose trust store replaces the JVM's for the Damoov
     * hosts and the auth calls. Absent: the JVM's trust store.
     */
    Optional<String> upstreamTlsConfigurationName();

    /** {@code http://[user:password@]host:port}: every outbound call goes through this HTTP proxy. */
    Optional<String> egressProxy();

    Audit audit();

    Admin admin();

    CircuitBreaker circuitBreaker();

    Limits limits();

    Cache cache();

    interface Limits {
        /**
         * Request-body bytes buffered at once for one connection (HTTP/2: all its streams); a body that would pass
         * it is refused with 503 {@code overloaded}. Keep it at least {@code gateway.max-body-size}.
         */
        @WithDefault("2M")
        MemorySize bufferedBytesPerConnection();

        /** Request-body bytes buffered at once for all connections; absent: a quarter of the maximum heap. */
        Optional<MemorySize> bufferedBytesTotal();

        /**
         * Time a routed request's body may take to arrive once the gateway reads it (408 beyond), and the time a
         * refused request's remaining body is drained before the connection is closed.
         */
        @WithDefault("PT30S")
        Duration bodyReadTimeout();

        /** Largest JWKS document fetched from a tenant's identity provider; larger is refused. */
        @WithDefault("256K")
        MemorySize maxJwksSize();
    }

    /**
     * One circuit breaker per outbound host (Damoov's data hosts and auth host, the tenants' JWKS hosts): opened by
     * connection-level failures only (docs/configuration.md, circuit breaker).
     */
    interface CircuitBreaker {
        /** false: every call tries its host, however often it failed. */
        @WithDefault("true")
        boolean enabled();

        /** Connection-level failures in a row (within {@link #failureWindow()}) that open a host's breaker. */
        @WithDefault("5")
        int failureThreshold();

        /** The failures that open a breaker must fall within this window (whole seconds, at least one). */
        @WithDefault("PT1M")
        Duration failureWindow();

        /** How long an open breaker refuses calls before it lets one probe through (half-open). */
        @WithDefault("PT10S")
        Duration delay();
    }

    /** Bounds of the in-memory caches, in MiB of estimated entry size (docs/configuration.md, caches). */
    interface Cache {
        /** Verified client tokens (keyed by the bearer header). */
        @WithDefault("16")
        int clientTokensMb();

        /** Damoov tokens (user and admin JWTs with their refresh tokens). */
        @WithDefault("32")
        int damoovTokensMb();

        /** The users' mappings (tenant, subject → DeviceToken). */
        @WithDefault("16")
        int mappingsMb();

        /** DeviceTokens known to belong to a tenant (admin-route identifier checks). */
        @WithDefault("4")
        int tenantDeviceTokensMb();
    }

    interface RouteRule {
        /** Upstream name; {@code *} matches every upstream. */
        String upstream();

        /** Ant-style path pattern below the upstream ({@code *} one segment, {@code **} any number). */
        String path();

        /** HTTP methods; absent = all. */
        Optional<Set<String>> methods();

        /** user | admin | device | deny */
        String credential();

        /** Role the caller must hold ({@code manager}). */
        Optional<String> role();
    }

    interface TenantConfig {
        /** Issuer ({@code iss}) of the tenant's client JWTs; must be unique across tenants. */
        String issuer();

        /** JWKS URL of the tenant's identity provider. */
        Optional<String> jwksUrl();

        /** A TLS registry entry for the JWKS URL; absent: the JVM's trust store. */
        Optional<String> tlsConfigurationName();

        /** Static verification key (PEM or JWK) instead of a JWKS URL. */
        @WithName("public-key")
        Optional<String> publicKey();

        /** Required {@code aud}, if set. */
        Optional<String> audience();

        @WithDefault("sub")
        String subjectClaim();

        @WithDefault("groups")
        String rolesClaim();

        /** Value of the roles claim that grants the role {@code manager}. */
        @WithDefault("manager")
        String managerRole();

        /** Register unknown users at Damoov on first use. */
        @WithDefault("true")
        boolean autoEnroll();

        String instanceId();

        String instanceKey();

        Optional<String> adminLogin();

        Optional<String> adminPassword();
    }

    interface Audit {
        /** Write audit records at all; false makes {@code AuditLog.record} a no-op (benchmarks, never production). */
        @WithDefault("true")
        boolean enabled();

        /** How long audit records are kept. */
        @WithDefault("P3D")
        Duration retention();

        /** How often the retention job runs (Quarkus scheduler syntax, e.g. {@code 15m}). */
        @WithDefault("15m")
        String purgeEvery();

        /** Records waiting in the journal above which the audit log counts as backlogged (the AuditBacklog alert). */
        @WithDefault("65536")
        int queueCapacity();

        /** Records written per batch. */
        @WithDefault("500")
        int batchSize();

        /**
         * Directory of the local audit journal: every record is appended there before its response is sent, and
         * deleted once the store holds it; what is left at a start is replayed.
         */
        @WithDefault("data/audit-journal")
        String journal();

        /**
         * Embedded store only: the directory that keeps the audit records (NDJSON files, one per minute of records),
         * instead of a table of the H2 database. PostgreSQL keeps them in its table.
         */
        @WithDefault("data/audit")
        String archive();

        /** Size at which the journal starts a new segment (a segment is deleted once the store holds all of it). */
        @WithDefault("8M")
        MemorySize journalSegmentSize();

        /**
         * Limit of the journal on disk. At the limit the gateway answers 503 {@code audit-unavailable} instead of
         * serving requests it cannot audit; keep it below the volume's size (the Deployment's {@code data} emptyDir
         * is 512Mi).
         */
        @WithDefault("256M")
        MemorySize journalMaxSize();
    }

    interface Admin {
        /** SHA-256 hex hashes of the operator keys. */
        Optional<List<String>> keyHashes();
    }
}
