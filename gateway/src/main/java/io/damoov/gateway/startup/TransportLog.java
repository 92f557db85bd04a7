package io.damoov.gateway.startup;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Says at start which socket transport Vert.x runs on: Java NIO, as shipped, or Netty's native epoll when
 * {@code quarkus.vertx.prefer-native-transport} is true and {@code netty-transport-native-epoll} is on the class path
 * (not shipped: no gain measured, bench/proxy/README.md §10), with the reason when the native transport was preferred
 * but could not be loaded. The proxy benchmark reads this line to check which transport it measures.
 */
@Singleton
public class TransportLog {

    private static final Logger LOG = Logger.getLogger(TransportLog.class);

    private final Vertx vertx;

    public TransportLog(Vertx vertx) {
        this.vertx = vertx;
    }

    void log(@Observes StartupEvent event) {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("Network transport: native (epoll)");
            return;
        }
        Throwable cause = vertx.unavailableNativeTransportCause();
        LOG.infof("Network transport: NIO%s", cause == null ? "" : " (native transport unavailable: " + cause + ")");
    }
}
