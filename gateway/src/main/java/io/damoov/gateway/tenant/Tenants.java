package io.damoov.gateway.tenant;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.damoov.gateway.config.GatewayConfig;

/** The configured tenants, by id and by issuer. */
@ApplicationScoped
public class Tenants {

    private final Map<String, Tenant> byId = new LinkedHashMap<>();
    private final Map<String, Tenant> byIssuer = new LinkedHashMap<>();

    public Tenants(GatewayConfig config) {
        config.tenants().forEach((id, t) -> {
            Tenant tenant = new Tenant(id, t.issuer(), t.jwksUrl(), t.publicKey(), t.audience(), t.subjectClaim(),
                    t.rolesClaim(), t.managerRole(), t.autoEnroll(), t.instanceId(), t.instanceKey(), t.adminLogin(),
                    t.adminPassword());
            byId.put(id, tenant);
            byIssuer.put(t.issuer(), tenant);
        });
    }

    public Optional<Tenant> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<Tenant> byIssuer(String issuer) {
        return Optional.ofNullable(byIssuer.get(issuer));
    }

    public Collection<Tenant> all() {
        return byId.values();
    }
}
