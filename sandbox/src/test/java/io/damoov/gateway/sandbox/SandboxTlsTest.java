package io.damoov.gateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PfxOptions;

/** The sandbox over TLS with a private CA, refusing connections without SNI as Cloudflare does. */
class SandboxTlsTest {

    static Vertx vertx;
    static SandboxPki pki;
    static DamoovSandbox sandbox;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        pki = SandboxPki.create(Path.of("target/pki-" + System.nanoTime()), "sandbox-test");
        sandbox = new DamoovSandbox(vertx).tls(pki.issue("server", "dns:localhost", "ip:127.0.0.1"), true)
                .start(0);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static HttpClient client(boolean forceSni) {
        return client(forceSni, pki);
    }

    private static HttpClient client(boolean forceSni, SandboxPki trusted) {
        return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setForceSni(forceSni).setVerifyHost(true)
                .setKeepAlive(true).setTrustOptions(new PfxOptions().setPath(trusted.trustStore().toString())
                        .setPassword(SandboxPki.PASSWORD)));
    }

    private static int get(HttpClient client, String path) throws Exception {
        return get(client, sandbox, path).statusCode;
    }

    private record Answer(int statusCode, String body) {
    }

    private static Answer get(HttpClient client, DamoovSandbox to, String path) throws Exception {
        Future<Answer> answer = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
                .setPort(to.port()).setURI(path))
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString())));
        return answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void servesItsTlsCountersOnTheControlApi() throws Exception {
        // a sandbox of its own: the shared one may still count another test's late handshake
        DamoovSandbox counting = new DamoovSandbox(vertx)
                .tls(pki.issue("counting", "dns:localhost", "ip:127.0.0.1"), true).start(0);
        // one pooled connection: the second request waits for the first's connection instead of racing its return
        // to the pool with a new one
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setForceSni(true)
                .setVerifyHost(true).setKeepAlive(true).setMaxPoolSize(1).setTrustOptions(
                        new PfxOptions().setPath(pki.trustStore().toString()).setPassword(SandboxPki.PASSWORD)));
        try {
            Answer first = get(client, counting, "/_sandbox/tls");
            Answer second = get(client, counting, "/_sandbox/tls");
            io.vertx.core.json.JsonObject a = new io.vertx.core.json.JsonObject(first.body());
            io.vertx.core.json.JsonObject b = new io.vertx.core.json.JsonObject(second.body());
            assertThat(a.getInteger("connections")).isEqualTo(1);
            assertThat(b.getInteger("connections")).isEqualTo(1); // kept alive: no second handshake
            assertThat(b.getInteger("open")).isEqualTo(1);
            assertThat(b.containsKey("refusedWithoutSni")).isTrue();
        } finally {
            client.close();
            counting.close();
        }
    }

    @Test
    void switchesToACertificateOfAnotherCaAndClosesItsConnections() throws Exception {
        DamoovSandbox renewing = new DamoovSandbox(vertx)
                .tls(pki.issue("renewing", "dns:localhost", "ip:127.0.0.1"), true).start(0);
        try {
            SandboxPki next = SandboxPki.create(Path.of("target/pki-" + System.nanoTime()), "next");
            HttpClient old = client(true);
            assertThat(get(old, renewing, "/_sandbox/counters").statusCode).isEqualTo(200);
            assertThat(renewing.openTlsConnections()).isEqualTo(1);

            renewing.switchCertificate(next.issue("server", "dns:localhost", "ip:127.0.0.1"));

            assertThatThrownBy(() -> get(old, renewing, "/_sandbox/counters")).isNotNull();
            HttpClient renewed = client(true, next);
            assertThat(get(renewed, renewing, "/_sandbox/counters").statusCode).isEqualTo(200);
            old.close();
            renewed.close();
        } finally {
            renewing.close();
        }
    }

    @Test
    void servesHttpsWithItsCertificateAndReusesTheConnection() throws Exception {
        assertThat(sandbox.baseUrl()).isEqualTo("https://localhost:" + sandbox.port());
        int before = sandbox.tlsConnections();
        HttpClient client = client(true);
        for (int i = 0; i < 20; i++) {
            assertThat(get(client, "/_sandbox/counters")).isEqualTo(200);
        }
        assertThat(sandbox.tlsConnections() - before).isBetween(1, 2); // 20 requests, kept alive
        client.close();
    }

    @Test
    void refusesAConnectionWithoutSni() throws Exception {
        int refused = sandbox.refusedWithoutSni();
        int counted = sandbox.calls("unmatched");
        HttpClient client = client(false); // "localhost" has no dot: the JDK sends no SNI on its own
        assertThatThrownBy(() -> get(client, "/nowhere")).isNotNull();
        assertThat(sandbox.refusedWithoutSni()).isEqualTo(refused + 1);
        assertThat(sandbox.calls("unmatched")).isEqualTo(counted);
        client.close();
    }
}
