package io.damoov.gateway.support;

import java.util.Map;

/**
 * The {@link TcpRelay}s that {@link SandboxResource} put in front of upstreams (init arg {@code relay}), by upstream
 * name, or {@code jwks:<tenant>} for a tenant's JWKS URL.
 */
public record Relays(Map<String, TcpRelay> byUpstream) {

    public TcpRelay of(String upstream) {
        TcpRelay r = byUpstream.get(upstream);
        if (r == null) {
            throw new IllegalArgumentException("no relay in front of " + upstream);
        }
        return r;
    }
}
