package io.damoov.gateway.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.sandbox.DemoIdentityProvider;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

/**
 * Starts the Damoov sandbox on a dynamic port with three tenants and their identity providers, and points the
 * gateway at it. Tenants: {@code acme} and {@code globex} (auto-enrol), {@code closed} (no auto-enrol).
 */
public class SandboxResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final String ACME_INSTANCE_KEY = "acme-instance-key-" + UUID.randomUUID();
    public static final String GLOBEX_INSTANCE_KEY = "globex-instance-key-" + UUID.randomUUID();
    public static final String ACME_ADMIN_PASSWORD = "acme-admin-pw-" + UUID.randomUUID();
    public static final String GLOBEX_ADMIN_PASSWORD = "globex-admin-pw-" + UUID.randomUUID();
    public static final String OPERATOR_KEY = "operator-key-" + UUID.randomUUID();

    private Vertx vertx;
    private DamoovSandbox sandbox;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        sandbox = new DamoovSandbox(vertx).start(0);
        sandbox.addInstance("acme-instance", ACME_INSTANCE_KEY);
        sandbox.addInstance("globex-instance", GLOBEX_INSTANCE_KEY);
        sandbox.addAdmin("admin@acme.example", ACME_ADMIN_PASSWORD, "acme-instance");
        sandbox.addAdmin("admin@globex.example", GLOBEX_ADMIN_PASSWORD, "globex-instance");
        Map<String, String> config = new HashMap<>();
        sandbox.upstreams().forEach((name, url) -> config.put("gateway.upstreams." + name, url));
        tenant(config, "acme", sandbox.idp("acme"), "acme-instance", ACME_INSTANCE_KEY, "admin@acme.example",
                ACME_ADMIN_PASSWORD, true);
        tenant(config, "globex", sandbox.idp("globex"), "globex-instance", GLOBEX_INSTANCE_KEY,
                "admin@globex.example", GLOBEX_ADMIN_PASSWORD, true);
        tenant(config, "rotating", sandbox.idp("rotating"), "acme-instance", ACME_INSTANCE_KEY, null, null, true);
        tenant(config, "closed", sandbox.idp("closed"), "acme-instance", ACME_INSTANCE_KEY, null, null, false);
        config.put("gateway.token-encryption-key", TOKEN_KEY);
        config.put("gateway.upstream-timeout", "PT6S");
        config.put("gateway.connect-timeout", "PT2S");
        config.put("gateway.max-body-size", "64K");
        config.put("gateway.forward-headers", "X-App-Version");
        config.put("gateway.audit.journal", "target/test-data/journal-" + UUID.randomUUID() + ".ndjson");
        config.put("quarkus.datasource.embedded.jdbc.url", "jdbc:h2:file:"
                + Path.of("target/test-data/gw-" + UUID.randomUUID()).toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=60000");
        config.put("sandbox.enabled", "false");
        config.put("gateway.admin.key-hashes", io.damoov.gateway.admin.OperatorKeys.sha256Hex(OPERATOR_KEY));
        return config;
    }

    private static void tenant(Map<String, String> config, String id, DemoIdentityProvider idp, String instanceId,
            String instanceKey, String adminLogin, String adminPassword, boolean autoEnroll) {
        String p = "gateway.tenants." + id + ".";
        config.put(p + "issuer", idp.issuer());
        config.put(p + "jwks-url", idp.jwksUrl());
        config.put(p + "audience", "damoov-gateway");
        config.put(p + "manager-role", "fleet-manager");
        config.put(p + "auto-enroll", Boolean.toString(autoEnroll));
        config.put(p + "instance-id", instanceId);
        config.put(p + "instance-key", instanceKey);
        if (adminLogin != null) {
            config.put(p + "admin-login", adminLogin);
            config.put(p + "admin-password", adminPassword);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(sandbox,
                new TestInjector.AnnotatedAndMatchesType(InjectSandbox.class, DamoovSandbox.class));
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
