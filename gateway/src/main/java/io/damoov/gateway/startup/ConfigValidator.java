package io.damoov.gateway.startup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.outbound.EgressProxy;
import io.damoov.gateway.outbound.UpstreamTarget;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * Checks at start what the config types cannot: a bad tenant, upstream, route, budget or key stops the start with
 * messages that name the keys (never their secret values).
 */
@Singleton
public class ConfigValidator {

    private final GatewayConfig config;
    private final TlsConfigurationRegistry tls;

    public ConfigValidator(GatewayConfig config, TlsConfigurationRegistry tls) {
        this.config = config;
        this.tls = tls;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = validate(config, name -> tls.get(name).isPresent());
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid gateway configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** {@code tlsNameKnown}: whether the TLS registry has an entry of that name. */
    static List<String> validate(GatewayConfig config, Predicate<String> tlsNameKnown) {
        List<String> problems = new ArrayList<>();
        config.upstreamTlsConfigurationName().filter(n -> !tlsNameKnown.test(n)).ifPresent(n -> problems
                .add("gateway.upstream-tls-configuration-name names no quarkus.tls." + n + ".* configuration"));
        config.egressProxy().ifPresent(proxy -> {
            try {
                EgressProxy.parse(proxy);
            } catch (IllegalArgumentException e) {
                problems.add("gateway.egress-proxy must be an http://[user:password@]host:port URL");
            }
        });
        config.upstreams().forEach((name, url) -> {
            if (!isHttpUrl(url)) {
                problems.add("gateway.upstreams." + name + " must be an http(s) URL");
            }
        });
        if (config.leaseTime().compareTo(config.authTimeout()) <= 0) {
            problems.add("gateway.lease-time must be longer than gateway.auth-timeout (one Damoov auth call)");
        }
        if (config.leaseTime().compareTo(java.time.Duration.ofMinutes(1)) > 0) {
            problems.add("gateway.lease-time must be at most a minute: callers of the identity wait for it");
        }
        if (config.tenants().isEmpty()) {
            problems.add("gateway.tenants must configure at least one tenant");
        }
        Map<String, String> issuers = new HashMap<>();
        config.tenants().forEach((id, t) -> {
            String p = "gateway.tenants." + id + ".";
            if (t.issuer().isBlank()) {
                problems.add(p + "issuer must not be empty");
            }
            String other = issuers.put(t.issuer(), id);
            if (other != null) {
                problems.add(p + "issuer duplicates gateway.tenants." + other + ".issuer");
            }
            if (t.jwksUrl().isEmpty() == t.publicKey().isEmpty()) {
                problems.add(p + "jwks-url or public-key must be set (exactly one)");
            }
            t.jwksUrl().filter(u -> !isHttpUrl(u)).ifPresent(u -> problems.add(p + "jwks-url must be an http(s) URL"));
            t.tlsConfigurationName().filter(n -> !tlsNameKnown.test(n)).ifPresent(n -> problems
                    .add(p + "tls-configuration-name names no quarkus.tls." + n + ".* configuration"));
            if (t.instanceId().isBlank()) {
                problems.add(p + "instance-id must not be empty");
            }
            if (t.instanceKey().isBlank()) {
                problems.add(p + "instance-key must not be empty");
            }
            if (t.adminLogin().isPresent() != t.adminPassword().isPresent()) {
                problems.add(p + "admin-login and admin-password must be set together");
            }
        });
        config.routes().ifPresent(routes -> {
            for (int i = 0; i < routes.size(); i++) {
                GatewayConfig.RouteRule r = routes.get(i);
                String p = "gateway.routes[" + i + "].";
                if (!"*".equals(r.upstream()) && !config.upstreams().containsKey(r.upstream())) {
                    problems.add(p + "upstream '" + r.upstream() + "' is not in gateway.upstreams");
                }
                if (!List.of("user", "admin", "device", "deny").contains(r.credential().toLowerCase())) {
                    problems.add(p + "credential must be one of user, admin, device, deny");
                }
                r.role().filter(role -> !"manager".equals(role))
                        .ifPresent(role -> problems.add(p + "role must be 'manager'"));
            }
        });
        try {
            io.damoov.gateway.token.LoginBudget.parse(config.loginBudget());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        config.tokenEncryptionKey().ifPresent(k -> {
            try {
                io.damoov.gateway.store.TokenCipher.fromBase64(k);
            } catch (IllegalArgumentException e) {
                problems.add("gateway.token-encryption-key must be a base64 256-bit key");
            }
        });
        config.forwardHeaders().ifPresent(extra -> io.damoov.gateway.pipeline.Headers.refused(extra)
                .forEach(why -> problems.add("gateway.forward-headers " + why)));
        if (config.maxInspectedResponseSize().asLongValue() <= 0) {
            problems.add("gateway.max-inspected-response-size must be positive");
        }
        if (config.maxBodySize().asLongValue() <= 0) {
            problems.add("gateway.max-body-size must be positive");
        }
        limits(config, problems);
        return problems;
    }

    private static void limits(GatewayConfig config, List<String> problems) {
        GatewayConfig.Limits l = config.limits();
        if (l.bufferedBytesPerConnection().asLongValue() <= 0) {
            problems.add("gateway.limits.buffered-bytes-per-connection must be positive");
        }
        if (l.bufferedBytesTotal().isPresent() && l.bufferedBytesTotal().get().asLongValue() <= 0) {
            problems.add("gateway.limits.buffered-bytes-total must be positive");
        }
        if (l.bodyReadTimeout().isNegative() || l.bodyReadTimeout().isZero()) {
            problems.add("gateway.limits.body-read-timeout must be positive");
        }
        GatewayConfig.Cache c = config.cache();
        if (c.clientTokensMb() <= 0 || c.damoovTokensMb() <= 0 || c.mappingsMb() <= 0 || c.tenantDeviceTokensMb() <= 0) {
            problems.add("gateway.cache.*-mb must be positive");
        }
        if (l.maxJwksSize().asLongValue() <= 0) {
            problems.add("gateway.limits.max-jwks-size must be positive");
        }
        GatewayConfig.CircuitBreaker b = config.circuitBreaker();
        if (b.failureThreshold() <= 0) {
            problems.add("gateway.circuit-breaker.failure-threshold must be positive");
        }
        if (b.failureWindow().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            problems.add("gateway.circuit-breaker.failure-window must be at least a second");
        }
        if (b.delay().isNegative() || b.delay().isZero()) {
            problems.add("gateway.circuit-breaker.delay must be positive");
        }
    }

    /**
     * The rule the proxy parses its upstreams with ({@link UpstreamTarget#of}), so an upstream that passes here is
     * one the proxy can call; JWKS URLs are held to the same rule.
     */
    private static boolean isHttpUrl(String url) {
        try {
            UpstreamTarget.of(url);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
