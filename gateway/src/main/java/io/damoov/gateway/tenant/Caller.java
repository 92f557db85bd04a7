package io.damoov.gateway.tenant;

import java.time.Instant;
import java.util.Set;

/**
 * The verified caller: a tenant's user, from a client JWT.
 *
 * @param tenant the tenant whose issuer signed the token
 * @param subject the tenant's user id (the configured subject claim)
 * @param roles gateway roles granted ({@code manager})
 * @param expiresAt when the client token expires
 */
public record Caller(Tenant tenant, String subject, Set<String> roles, Instant expiresAt) {

    public static final String MANAGER = "manager";

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
