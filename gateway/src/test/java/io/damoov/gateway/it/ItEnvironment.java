package io.damoov.gateway.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.damoov.gateway.sandbox.DamoovSandbox;
import io.vertx.core.Vertx;

/**
 * What the packaged-jar tests share: a sandbox in the test JVM, one tenant pointing at it, and the store: the
 * PostgreSQL server of CI when {@code QUARKUS_DATASOURCE_JDBC_URL} is set, else an H2 file in a work directory.
 */
final class ItEnvironment implements AutoCloseable {

    static final String INSTANCE_KEY = "it-instance-key-" + UUID.randomUUID();
    static final String ADMIN_PASSWORD = "it-admin-password-" + UUID.randomUUID();
    static final String KEY_A = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String OPERATOR_KEY = "it-operator-" + UUID.randomUUID();
    static final String KEY_B = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

    final Vertx vertx = Vertx.vertx();
    final DamoovSandbox sandbox;
    final Path workDir;
    final String tenant;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ItEnvironment() throws Exception {
        sandbox = new DamoovSandbox(vertx).start(0);
        tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
        sandbox.addInstance(tenant + "-instance", INSTANCE_KEY);
        sandbox.addAdmin("admin@" + tenant + ".example", ADMIN_PASSWORD, tenant + "-instance");
        workDir = Files.createDirectories(Path.of("target/it-work/" + tenant).toAbsolutePath());
    }

    static boolean postgres() {
        String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        return url != null && !url.isBlank();
    }

    Map<String, String> config(String tokenKey) {
        Map<String, String> c = new HashMap<>();
        sandbox.upstreams().forEach((name, url) -> c.put("gateway.upstreams." + name, url));
        String p = "gateway.tenants." + tenant + ".";
        c.put(p + "issuer", sandbox.idp(tenant).issuer());
        c.put(p + "jwks-url", sandbox.idp(tenant).jwksUrl());
        c.put(p + "instance-id", tenant + "-instance");
        c.put(p + "instance-key", INSTANCE_KEY);
        c.put(p + "admin-login", "admin@" + tenant + ".example");
        c.put(p + "admin-password", ADMIN_PASSWORD);
        c.put("gateway.token-encryption-key", tokenKey);
        c.put("gateway.admin.key-hashes", io.damoov.gateway.admin.OperatorKeys.sha256Hex(OPERATOR_KEY));
        if (postgres()) {
            c.put("quarkus.datasource.jdbc.url", System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
            c.put("quarkus.datasource.username", System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", ""));
            c.put("quarkus.datasource.password", System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", ""));
        }
        return c;
    }

    Connection jdbc() throws SQLException {
        if (postgres()) {
            return DriverManager.getConnection(System.getenv("QUARKUS_DATASOURCE_JDBC_URL"),
                    System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", ""),
                    System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", ""));
        }
        return DriverManager.getConnection("jdbc:h2:file:" + workDir.resolve("data/gateway")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
    }

    String clientToken(String subject) {
        return sandbox.idp(tenant).mint(subject, List.of("driver"), Duration.ofHours(1));
    }

    HttpResponse<String> get(GatewayProcess gw, String path, String token, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(GatewayProcess gw, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An operator call on the management port ({@code method} DELETE, GET, …); returns the status. */
    int operator(GatewayProcess gw, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.managementPort + path))
                .header("Authorization", "Bearer " + OPERATOR_KEY).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Override
    public void close() {
        sandbox.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
