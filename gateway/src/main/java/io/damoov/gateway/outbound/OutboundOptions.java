package io.damoov.gateway.outbound;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.config.GatewayConfig;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.http.HttpClientOptions;

/**
 * What every outbound HTTP client of the gateway (the Damoov hosts, Damoov's auth calls, the tenants' JWKS) is set
 * up with: the trust (and key) material of a Quarkus TLS registry entry ({@code quarkus.tls.<name>.*}), or the JVM's
 * trust store without a name; SNI sent for every host name, dotted or not ({@code setForceSni}: the JDK sends it
 * only for names with a dot); host names verified; and the egress proxy ({@code gateway.egress-proxy}) when set.
 */
@Singleton
public class OutboundOptions {

    private static final Logger LOG = Logger.getLogger(OutboundOptions.class);

    private final TlsConfigurationRegistry registry;
    private final Optional<EgressProxy> proxy;
    private final long connectTimeoutMillis;

    public OutboundOptions(TlsConfigurationRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.connectTimeoutMillis = config.connectTimeout().toMillis();
        this.proxy = config.egressProxy().map(EgressProxy::parse);
    }

    /** Logs a certificate reload that reached {@code clients}; a failure names no secret. */
    public static void logReload(String clients, String name, Throwable failure) {
        if (failure == null) {
            LOG.infof("TLS configuration %s reloaded with other certificates: %s use them for new connections", name,
                    clients);
        } else {
            LOG.errorf("TLS configuration %s reloaded, but %s could not take its certificates: %s", name, clients,
                    failure.getClass().getSimpleName());
        }
    }

    /** The egress proxy, if configured. */
    public Optional<EgressProxy> proxy() {
        return proxy;
    }

    /** The registry entry {@code name}; an unknown name is an error (start-up validation reports it first). */
    public Optional<TlsConfiguration> tls(Optional<String> name) {
        return name.map(n -> registry.get(n)
                .orElseThrow(() -> new IllegalArgumentException("no TLS configuration named " + n)));
    }

    /**
     * Applies TLS entry {@code tlsName} (or the JVM's trust store), SNI, host-name verification and the proxy. The TLS
     * handshake is part of establishing a connection: it gets {@code gateway.connect-timeout} too (Vert.x's own
     * default is 10 s), so a listener that accepts but never answers costs no longer than one that is not there.
     */
    public HttpClientOptions apply(HttpClientOptions options, Optional<String> tlsName) {
        options.setForceSni(true).setVerifyHost(true).setSslHandshakeTimeout(connectTimeoutMillis)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        tls(tlsName).ifPresent(tls -> {
            if (tls.getTrustStoreOptions() != null) {
                options.setTrustOptions(tls.getTrustStoreOptions());
            }
            if (tls.getKeyStoreOptions() != null) {
                options.setKeyCertOptions(tls.getKeyStoreOptions());
            }
            options.setTrustAll(tls.isTrustAll());
        });
        proxy.ifPresent(p -> options.setProxyOptions(p.options()));
        return options;
    }
}
