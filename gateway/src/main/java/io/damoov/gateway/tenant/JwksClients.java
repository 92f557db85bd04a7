package io.damoov.gateway.tenant;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.outbound.HostBreaker;
import io.damoov.gateway.outbound.HostBreakers;
import io.damoov.gateway.outbound.OutboundOptions;
import io.damoov.gateway.outbound.TlsMaterial;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/**
 * The HTTP clients that fetch the tenants' JWKS: one per TLS registry entry named by a tenant's
 * {@code tls-configuration-name} (none: the JVM's trust store), with SNI, host-name verification and the egress
 * proxy ({@link OutboundOptions}); each JWKS host is guarded by its circuit breaker ({@link HostBreakers}, shared
 * with any Damoov upstream on the same {@code host:port}).
 */
@Singleton
public class JwksClients {

    private final Vertx vertx;
    private final GatewayConfig config;
    private final OutboundOptions outbound;
    private final HostBreakers breakers;
    private final Map<Optional<String>, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<Optional<String>, TlsMaterial> materials = new ConcurrentHashMap<>();

    public JwksClients(Vertx vertx, GatewayConfig config, OutboundOptions outbound, HostBreakers breakers) {
        this.vertx = vertx;
        this.breakers = breakers;
        this.config = config;
        this.outbound = outbound;
    }

    /** The client for tenant {@code id}'s JWKS URL. */
    HttpClient forTenant(String id) {
        GatewayConfig.TenantConfig t = config.tenants().get(id);
        Optional<String> tls = t == null ? Optional.empty() : t.tlsConfigurationName();
        return clients.computeIfAbsent(tls, name -> {
            materials.put(name, new TlsMaterial(outbound, name));
            return vertx.createHttpClient(options(name));
        });
    }

    /** The circuit breaker of the host of tenant {@code id}'s JWKS URL; null for a tenant without one. */
    HostBreaker breakerFor(String id) {
        GatewayConfig.TenantConfig t = config.tenants().get(id);
        return t == null ? null : t.jwksUrl().map(breakers::forUrl).orElse(null);
    }

    private HttpClientOptions options(Optional<String> tls) {
        return outbound.apply(
                new HttpClientOptions().setMaxPoolSize(4).setConnectTimeout((int) config.connectTimeout().toMillis()),
                tls);
    }

    /** A reload of a registry entry that brought other certificates reaches the JWKS client of that entry. */
    void onCertificateUpdated(@Observes CertificateUpdatedEvent event) {
        Optional<String> name = Optional.of(event.name());
        HttpClient client = clients.get(name);
        TlsMaterial material = materials.get(name);
        if (client != null && material != null && material.changedBy(event)) {
            client.updateSSLOptions(options(name).getSslOptions(), true).onComplete(ar -> OutboundOptions
                    .logReload("the JWKS fetches", event.name(), ar.failed() ? ar.cause() : null));
        }
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
    }
}
