package io.damoov.gateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;

/**
 * The PKI of dev mode over TLS as {@code scripts/dev-tls.sh --pki-only} makes it (the script runs
 * {@code SandboxPki.java} with the JDK's source launcher): stable file names, stores that load, a server certificate
 * for {@code localhost} and {@code 127.0.0.1} signed by the CA, kept on a second run, made anew when a file is
 * missing; and the sandbox, configured as the {@code dev-tls} profile configures {@link SandboxLauncher}, serves it
 * to a client that trusts only the dev trust store and sends SNI. Dev mode itself is not started here.
 */
class DevPkiTest {

    private static final Path SCRIPT = Path.of("../scripts/dev-tls.sh");

    @Test
    void shouldMakeTheDevPkiOnceAndServeTheSandboxWithIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash: the script is checked where bash is");
        Path dir = Path.of("target/dev-pki-test-" + System.nanoTime()).toAbsolutePath();

        // When: the script makes the PKI
        String out = pkiOnly(dir);

        // Then: the three files with their stable names, which load and chain to the CA
        assertThat(out).contains("Made a PKI in " + dir);
        Path ca = dir.resolve("dev-ca.pem");
        Path trust = dir.resolve("dev-trust.p12");
        Path server = dir.resolve("dev-server.p12");
        assertThat(List.of(ca, trust, server)).allSatisfy(p -> assertThat(p).isRegularFile());
        X509Certificate caCert = (X509Certificate) SandboxPki.load(trust).getCertificate("ca");
        KeyStore serverStore = SandboxPki.load(server);
        X509Certificate leaf = (X509Certificate) serverStore.getCertificate("server");
        assertThat(serverStore.isKeyEntry("server")).isTrue();
        leaf.verify(caCert.getPublicKey());
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
                .contains("localhost", "127.0.0.1");
        assertThat(leaf.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(80)));
        assertThat(Files.readString(ca)).startsWith("-----BEGIN CERTIFICATE-----");

        // and a second run keeps them as they are
        byte[] trustBytes = Files.readAllBytes(trust);
        byte[] serverBytes = Files.readAllBytes(server);
        assertThat(pkiOnly(dir)).contains("Kept the PKI in " + dir);
        assertThat(Files.readAllBytes(trust)).isEqualTo(trustBytes);
        assertThat(Files.readAllBytes(server)).isEqualTo(serverBytes);

        // and the sandbox with the dev-tls profile's settings serves HTTPS that a client trusting the dev CA accepts
        assertThat(tlsConnections(dir)).isEqualTo(1);

        // When a file is missing: everything is made anew, with a new CA
        Files.delete(trust);
        SandboxPki.Dev again = SandboxPki.dev(dir);
        assertThat(again.created()).isTrue();
        X509Certificate newCa = (X509Certificate) SandboxPki.load(trust).getCertificate("ca");
        assertThat(newCa).isNotEqualTo(caCert);
        ((X509Certificate) SandboxPki.load(server).getCertificate("server")).verify(newCa.getPublicKey());
        assertThat(tlsConnections(dir)).isEqualTo(1);
    }

    /** The TLS connections a sandbox made as dev-tls makes it counted after one GET through the dev trust store. */
    private static int tlsConnections(Path dir) throws Exception {
        Map<String, String> devTls = Map.of("sandbox.tls.key-store", dir.resolve("dev-server.p12").toString(),
                "sandbox.tls.require-sni", "true");
        Vertx vertx = Vertx.vertx();
        try {
            DamoovSandbox sandbox = SandboxMain.demo(vertx, key -> Optional.ofNullable(devTls.get(key))).start(0);
            assertThat(sandbox.baseUrl()).isEqualTo("https://localhost:" + sandbox.port());
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setForceSni(true)
                    .setVerifyHost(true).setTrustOptions(new PfxOptions()
                            .setPath(dir.resolve("dev-trust.p12").toString()).setPassword(SandboxPki.PASSWORD)));
            String body = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
                    .setPort(sandbox.port()).setURI("/_sandbox/tls"))
                    .compose(req -> req.send())
                    .compose(resp -> resp.statusCode() == 200 ? resp.body()
                            : io.vertx.core.Future.failedFuture("HTTP " + resp.statusCode()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
            sandbox.close();
            return new JsonObject(body).getInteger("connections");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static String pkiOnly(Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "--pki-only").redirectErrorStream(true);
        pb.environment().put("DEV_PKI_DIR", dir.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
