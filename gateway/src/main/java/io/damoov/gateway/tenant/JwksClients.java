package io.damoov.gateway.tenant;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.outbound.OutboundOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/**
 * The HTTP clients that fetch the tenants' JWKS: one per TLS registry entry named by a tenant's
 * {@code tls-configuration-name} (none: the JVM's trust store), with SNI, host-name verification and the egress
 * proxy ({@link OutboundOptions}).
 */
@Singleton
public class JwksClients {

    private final Vertx vertx;
    private final GatewayConfig config;
    private final OutboundOptions outbound;
    private final Map<Optional<String>, HttpClient> clients = new ConcurrentHashMap<>();

    public JwksClients(Vertx vertx, GatewayConfig config, OutboundOptions outbound) {
        this.vertx = vertx;
        this.config = config;
        this.outbound = outbound;
    }

    /** The client for tenant {@code id}'s JWKS URL. */
    HttpClient forTenant(String id) {
        GatewayConfig.TenantConfig t = config.tenants().get(id);
        Optional<String> tls = t == null ? Optional.empty() : t.tlsConfigurationName();
        return clients.computeIfAbsent(tls, name -> vertx.createHttpClient(outbound.apply(
                new HttpClientOptions().setMaxPoolSize(4).setConnectTimeout((int) config.connectTimeout().toMillis()),
                name)));
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
    }
}
