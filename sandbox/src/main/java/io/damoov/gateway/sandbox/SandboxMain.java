package io.damoov.gateway.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import io.vertx.core.Vertx;

/**
 * The sandbox in a JVM of its own, without Quarkus: what bench/proxy/run.sh runs as the Damoov stand-in beside the
 * measured gateways (whose production jar has no sandbox). The settings of {@link SandboxLauncher}, as system
 * properties:
 *
 * <pre>
 * java -Dsandbox.port=8090 -cp damoov-sandbox.jar:&lt;Vert.x Web, jose4j&gt; io.damoov.gateway.sandbox.SandboxMain
 * </pre>
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        DamoovSandbox sandbox = demo(vertx, key -> Optional.ofNullable(System.getProperty(key)));
        sandbox.start(port(key -> Optional.ofNullable(System.getProperty(key))));
        System.out.printf("Damoov sandbox listening on %s (demo IdP issuer %s)%n", sandbox.baseUrl(),
                sandbox.idp("demo").issuer());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
            stopped.countDown();
        }));
        stopped.await();
    }

    /**
     * A sandbox (not started) with the demo instance and its admin, from {@code sandbox.instance-id},
     * {@code sandbox.instance-key}, {@code sandbox.admin-login} and {@code sandbox.admin-password}. With
     * {@code sandbox.tls.key-store} (a PKCS#12 file, e.g. {@link SandboxPki#dev}'s {@code dev-server.p12}; password
     * {@code sandbox.tls.key-store-password}, default {@link SandboxPki#PASSWORD}) it serves HTTPS on
     * {@code https://localhost:<port>}, and refuses handshakes without SNI unless {@code sandbox.tls.require-sni} is
     * false.
     */
    static DamoovSandbox demo(Vertx vertx, Function<String, Optional<String>> settings) {
        String instanceId = instanceId(settings);
        DamoovSandbox sandbox = new DamoovSandbox(vertx);
        settings.apply("sandbox.tls.key-store").filter(s -> !s.isBlank()).ifPresent(store -> {
            Path path = Path.of(store);
            if (!Files.isReadable(path)) {
                throw new IllegalStateException("sandbox.tls.key-store " + path.toAbsolutePath()
                        + " is not a readable file (scripts/dev-tls.sh makes it)");
            }
            sandbox.tls(new SandboxPki.Leaf(path,
                    settings.apply("sandbox.tls.key-store-password").orElse(SandboxPki.PASSWORD)),
                    settings.apply("sandbox.tls.require-sni").map(Boolean::parseBoolean).orElse(true));
        });
        sandbox.addInstance(instanceId, settings.apply("sandbox.instance-key").orElse("demo-instance-key"));
        sandbox.addAdmin(settings.apply("sandbox.admin-login").orElse("admin@demo.local"),
                settings.apply("sandbox.admin-password").orElse("demo-password"), instanceId);
        return sandbox;
    }

    /** {@code sandbox.port}, 8090 by default. */
    static int port(Function<String, Optional<String>> settings) {
        return settings.apply("sandbox.port").map(Integer::parseInt).orElse(8090);
    }

    static String instanceId(Function<String, Optional<String>> settings) {
        return settings.apply("sandbox.instance-id").orElse("demo-instance");
    }
}
