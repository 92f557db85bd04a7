package io.damoov.gateway.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.damoov.gateway.sandbox.DemoIdentityProvider;
import io.damoov.gateway.sandbox.SandboxPki;
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
    private boolean tls;
    private boolean proxied;
    private TestProxy proxy;
    private final java.util.List<String> relayed = new java.util.ArrayList<>();
    private final Map<String, TcpRelay> relays = new HashMap<>();
    public static final String PROXIED_HOST = "damoov.sandbox.test";
    public static final String PROXY_PASSWORD = "proxy-pw-" + UUID.randomUUID();
    /** With tls: a listener whose certificate is from another CA (upstream {@code carservice}): peer "foreign-ca". */
    private DamoovSandbox foreignCa;
    /** With tls: a listener whose certificate names another host (upstream {@code mobilesdk}): peer "wrong-host". */
    private DamoovSandbox wrongHost;

    /**
     * Init arg {@code tls=true}: the sandbox serves HTTPS with a certificate of a private CA and requires SNI; the
     * gateway trusts that CA through the TLS registry entry {@code damoov} ({@code upstream-tls-configuration-name}
     * and every tenant's {@code tls-configuration-name}); tenant {@code untrusted} trusts another CA only.
     */
    @Override
    public void init(Map<String, String> initArgs) {
        proxied = Boolean.parseBoolean(initArgs.getOrDefault("proxy", "false"));
        tls = proxied || Boolean.parseBoolean(initArgs.getOrDefault("tls", "false"));
        String relay = initArgs.getOrDefault("relay", "");
        if (!relay.isBlank()) {
            relayed.addAll(java.util.List.of(relay.split(",")));
        }
    }

    /**
     * Init arg {@code relay=a,b}: each of these upstreams reaches the sandbox through a {@link TcpRelay} of its own
     * (its own port, so its own circuit breaker), injected as {@link Relays} into an {@code @InjectSandbox} field;
     * {@code jwks:<tenant>} puts one in front of that tenant's JWKS URL.
     * <p>
     * Init arg {@code proxy=true} (implies tls): the upstreams and JWKS URLs name {@link #PROXIED_HOST}, which only
     * the {@link TestProxy} ({@code gateway.egress-proxy}, with credentials) resolves; {@code carservice} names a
     * host the proxy refuses; {@code test.proxy-port} is the proxy's port.
     */
    private void proxy(Map<String, String> config) {
        proxy = new TestProxy(vertx, Map.of(PROXIED_HOST, sandbox.port()), "gw-proxy", PROXY_PASSWORD).start();
        config.replaceAll((k, v) -> k.startsWith("gateway.upstreams.") || k.endsWith(".jwks-url")
                ? v.replace("https://localhost:", "https://" + PROXIED_HOST + ":")
                : v);
        config.put("gateway.upstreams.carservice", "https://blocked.sandbox.test/carservice");
        config.put("gateway.egress-proxy", "http://gw-proxy:" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port());
        config.put("test.proxy-port", Integer.toString(proxy.port()));
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        sandbox = new DamoovSandbox(vertx);
        if (tls) {
            Path dir = Path.of("target/test-pki/" + UUID.randomUUID());
            SandboxPki ca = SandboxPki.create(dir, "sandbox");
            SandboxPki other = SandboxPki.create(dir, "other");
            sandbox.tls(ca.issue("server", "dns:localhost", "ip:127.0.0.1", "dns:" + PROXIED_HOST), true);
            trust(config, "damoov", ca);
            trust(config, "other", other);
            config.put("gateway.upstream-tls-configuration-name", "damoov");
            foreignCa = new DamoovSandbox(vertx).tls(other.issue("server", "dns:localhost", "ip:127.0.0.1"), false)
                    .start(0);
            wrongHost = new DamoovSandbox(vertx).tls(ca.issue("wrong", "dns:wrong.example"), false).start(0);
        }
        sandbox.start(0);
        if (tls) {
            sandbox.peer("foreign-ca", foreignCa);
            sandbox.peer("wrong-host", wrongHost);
        }
        sandbox.addInstance("acme-instance", ACME_INSTANCE_KEY);
        sandbox.addInstance("globex-instance", GLOBEX_INSTANCE_KEY);
        sandbox.addAdmin("admin@acme.example", ACME_ADMIN_PASSWORD, "acme-instance");
        sandbox.addAdmin("admin@globex.example", GLOBEX_ADMIN_PASSWORD, "globex-instance");
        sandbox.upstreams().forEach((name, url) -> config.put("gateway.upstreams." + name, url));
        if (tls) {
            config.put("gateway.upstreams.carservice", foreignCa.upstreams().get("carservice"));
            config.put("gateway.upstreams.mobilesdk", wrongHost.upstreams().get("mobilesdk"));
        }
        tenant(config, "acme", sandbox.idp("acme"), "acme-instance", ACME_INSTANCE_KEY, "admin@acme.example",
                ACME_ADMIN_PASSWORD, true);
        tenant(config, "globex", sandbox.idp("globex"), "globex-instance", GLOBEX_INSTANCE_KEY,
                "admin@globex.example", GLOBEX_ADMIN_PASSWORD, true);
        tenant(config, "rotating", sandbox.idp("rotating"), "acme-instance", ACME_INSTANCE_KEY, null, null, true);
        tenant(config, "closed", sandbox.idp("closed"), "acme-instance", ACME_INSTANCE_KEY, null, null, false);
        if (tls) {
            for (String t : new String[] { "acme", "globex", "rotating", "closed" }) {
                config.put("gateway.tenants." + t + ".tls-configuration-name", "damoov");
            }
            tenant(config, "untrusted", sandbox.idp("untrusted"), "acme-instance", ACME_INSTANCE_KEY, null, null,
                    true);
            config.put("gateway.tenants.untrusted.tls-configuration-name", "other");
        }
        for (String name : relayed) { // init arg relay=a,jwks:t: each behind a TcpRelay of its own
            TcpRelay relay = new TcpRelay(sandbox.port());
            relays.put(name, relay);
            String key = name.startsWith("jwks:") ? "gateway.tenants." + name.substring(5) + ".jwks-url"
                    : "gateway.upstreams." + name;
            String url = config.get(key);
            if (url == null) {
                throw new IllegalArgumentException("relay " + name + ": no " + key);
            }
            config.put(key, url.replace(":" + sandbox.port() + "/", ":" + relay.port() + "/"));
        }
        if (proxied) {
            proxy(config);
        }
        config.put("gateway.token-encryption-key", TOKEN_KEY);
        config.put("gateway.upstream-timeout", "PT6S");
        config.put("gateway.connect-timeout", "PT2S");
        config.put("gateway.max-body-size", "64K");
        config.put("gateway.forward-headers", "X-App-Version");
        config.put("gateway.audit.journal", "target/test-data/journal-" + UUID.randomUUID());
        config.put("gateway.audit.archive", "target/test-data/audit-" + UUID.randomUUID());
        config.put("quarkus.datasource.embedded.jdbc.url", "jdbc:h2:file:"
                + Path.of("target/test-data/gw-" + UUID.randomUUID()).toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=60000");
        config.put("sandbox.enabled", "false");
        config.put("gateway.admin.key-hashes", io.damoov.gateway.admin.OperatorKeys.sha256Hex(OPERATOR_KEY));
        return config;
    }

    private static void trust(Map<String, String> config, String name, SandboxPki pki) {
        config.put("quarkus.tls." + name + ".trust-store.p12.path", pki.trustStore().toAbsolutePath().toString());
        config.put("quarkus.tls." + name + ".trust-store.p12.password", SandboxPki.PASSWORD);
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
        injector.injectIntoFields(new Relays(Map.copyOf(relays)),
                new TestInjector.AnnotatedAndMatchesType(InjectSandbox.class, Relays.class));
    }

    @Override
    public void stop() {
        relays.values().forEach(TcpRelay::close);
        if (proxy != null) {
            proxy.close();
        }
        for (DamoovSandbox s : new DamoovSandbox[] { sandbox, tls ? foreignCa : null, tls ? wrongHost : null }) {
            if (s != null) {
                s.close();
            }
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
