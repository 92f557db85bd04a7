package io.damoov.gateway.sandbox;

import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Starts a {@link DamoovSandbox} with a demo tenant when {@code sandbox.enabled} is true (dev mode; see
 * application.yaml). Settings: {@code sandbox.port} (8090), {@code sandbox.instance-id},
 * {@code sandbox.instance-key}, {@code sandbox.admin-login}, {@code sandbox.admin-password}, and for HTTPS
 * {@code sandbox.tls.key-store}, {@code sandbox.tls.key-store-password}, {@code sandbox.tls.require-sni} (defaults:
 * {@link SandboxMain}; the {@code dev-tls} profile and {@code scripts/dev-tls.sh} set the TLS ones). Lives in the sandbox
 * module, which the gateway has on its dev-mode and test class paths
 * only: the production jar has neither this bean nor the sandbox.
 */
@ApplicationScoped
public class SandboxLauncher {

    private static final Logger LOG = Logger.getLogger(SandboxLauncher.class);

    @Inject
    Vertx vertx;

    private volatile DamoovSandbox sandbox;

    void onStart(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        if (!config.getOptionalValue("sandbox.enabled", Boolean.class).orElse(false)) {
            return;
        }
        Function<String, Optional<String>> settings = key -> config.getOptionalValue(key, String.class);
        int port = SandboxMain.port(settings);
        DamoovSandbox created = SandboxMain.demo(vertx, settings);
        // StartupEvent observers run on the main thread, where blocking is fine; never block an event loop
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            created.startAsync(port).onSuccess(this::started)
                    .onFailure(e -> LOG.errorf(e, "Damoov sandbox could not start on port %d", port));
        } else {
            started(created.start(port));
        }
    }

    private void started(DamoovSandbox started) {
        sandbox = started;
        LOG.infof("Damoov sandbox listening on %s (instance %s, demo IdP issuer %s)", started.baseUrl(),
                SandboxMain.instanceId(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class)),
                started.idp("demo").issuer());
    }

    void onStop(@Observes ShutdownEvent event) {
        DamoovSandbox s = sandbox;
        sandbox = null;
        if (s != null) {
            s.close();
        }
    }

    /** The running sandbox, or null when disabled or not started. */
    public DamoovSandbox sandbox() {
        return sandbox;
    }
}
