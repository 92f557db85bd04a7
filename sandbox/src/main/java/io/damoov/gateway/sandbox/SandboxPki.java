package io.damoov.gateway.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority for dev mode and tests, made with the JDK's {@code keytool} (no library, no
 * network): {@link #create} makes the CA, {@link #issue} a leaf certificate with subject alternative names, signed
 * by it, in a PKCS#12 key store that a server serves ({@link DamoovSandbox#tls}). {@link #caPem()} and
 * {@link #trustStore()} are what a client trusts. Every store has the password {@link #PASSWORD}.
 * <p>
 * {@link #main} makes the PKI of dev mode over TLS ({@link #dev}); it needs nothing but the JDK, so
 * {@code scripts/dev-tls.sh} runs this file with the source launcher ({@code java SandboxPki.java
 *
<dir>
 * }) before
 * {@code quarkus:dev} starts: the TLS registry reads its trust store at start.
 */
public final class SandboxPki {

    public static final String PASSWORD = "changeit";
    /** The CA's name in {@link #dev}: its files are {@code dev-ca.pem}, {@code dev-trust.p12}, {@code dev-server.p12}. */
    public static final String DEV = "dev";
    private static final int DEV_VALIDITY_DAYS = 90;
    /** A dev PKI whose server certificate expires sooner than this is made anew. */
    private static final Duration DEV_RENEW_BEFORE = Duration.ofDays(7);

    private final Path dir;
    private final String name;
    private final int validityDays;

    private SandboxPki(Path dir, String name, int validityDays) {
        this.dir = dir;
        this.name = name;
        this.validityDays = validityDays;
    }

    /**
     * {@code java SandboxPki.java
     *
    <dir>
     * }: {@link #dev} in {@code dir}, then prints the paths of the CA certificate,
     * the trust store and the server's key store.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java SandboxPki.java <directory>");
            System.exit(2);
        }
        Dev pki = dev(Path.of(args[0]));
        System.out.printf("%s PKI in %s: CA %s, trust store %s, server key store %s (password %s)%n",
                pki.created() ? "Made a" : "Kept the", pki.caPem().getParent(), pki.caPem().getFileName(),
                pki.trustStore().getFileName(), pki.server().keyStore().getFileName(), PASSWORD);
    }

    /** The files of {@link #dev}; {@code created}: false when the ones already there were kept. */
    public record Dev(Path caPem, Path trustStore, Leaf server, boolean created) {
    }

    /**
     * The PKI of dev mode over TLS in {@code dir}, with stable file names: a CA {@value #DEV} and a server certificate
     * for {@code localhost} and {@code 127.0.0.1}, valid 90 days. Idempotent: files already there are kept while the
     * server's certificate is valid for another week and chains to the CA; otherwise all of them are made anew.
     */
    public static Dev dev(Path dir) {
        SandboxPki pki = new SandboxPki(dir, DEV, DEV_VALIDITY_DAYS);
        Leaf server = new Leaf(dir.resolve(DEV + "-server.p12"), PASSWORD);
        if (pki.usable(server)) {
            return new Dev(pki.caPem(), pki.trustStore(), server, false);
        }
        for (String file : List.of("ca.p12", "ca.pem", "trust.p12", "server.p12", "server.csr", "server.pem")) {
            try {
                Files.deleteIfExists(dir.resolve(DEV + "-" + file));
            } catch (IOException e) {
                throw new IllegalStateException("cannot replace " + dir.resolve(DEV + "-" + file), e);
            }
        }
        pki = create(dir, DEV, DEV_VALIDITY_DAYS);
        Leaf issued = pki.issue("server", "dns:localhost", "ip:127.0.0.1");
        return new Dev(pki.caPem(), pki.trustStore(), issued, true);
    }

    /** True when the trust store and {@code server} load, and the server's certificate chains to the CA for a week. */
    private boolean usable(Leaf server) {
        if (!Files.isRegularFile(caPem()) || !Files.isRegularFile(caStore()) || !Files.isRegularFile(trustStore())
                || !Files.isRegularFile(server.keyStore())) {
            return false;
        }
        try {
            X509Certificate ca = (X509Certificate) load(trustStore()).getCertificate("ca");
            X509Certificate leaf = (X509Certificate) load(server.keyStore()).getCertificate("server");
            if (ca == null || leaf == null) {
                return false;
            }
            leaf.verify(ca.getPublicKey());
            Instant renewAt = Instant.now().plus(DEV_RENEW_BEFORE);
            return leaf.getNotAfter().toInstant().isAfter(renewAt) && ca.getNotAfter().toInstant().isAfter(renewAt);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            return false;
        }
    }

    /** A PKCS#12 store of this PKI (password {@link #PASSWORD}). */
    public static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** A leaf certificate and its key, with the CA's certificate in the chain, in a PKCS#12 store. */
    public record Leaf(Path keyStore, String password) {
    }

    /** Makes a CA called {@code name} in {@code dir} (created if absent); it and its certificates are valid 3 days. */
    public static SandboxPki create(Path dir, String name) {
        return create(dir, name, 3);
    }

    private static SandboxPki create(Path dir, String name, int validityDays) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        SandboxPki pki = new SandboxPki(dir, name, validityDays);
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + name, "-ext", "bc:c", "-validity", Integer.toString(validityDays), "-keystore",
                pki.caStore().toString());
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.caStore().toString(), "-file",
                pki.caPem().toString());
        pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pki.caPem().toString(), "-keystore",
                pki.trustStore().toString());
        return pki;
    }

    /** The CA's certificate, PEM. */
    public Path caPem() {
        return dir.resolve(name + "-ca.pem");
    }

    /** A PKCS#12 trust store holding the CA's certificate. */
    public Path trustStore() {
        return dir.resolve(name + "-trust.p12");
    }

    private Path caStore() {
        return dir.resolve(name + "-ca.p12");
    }

    /**
     * Issues a leaf certificate for {@code sans} ({@code dns:localhost}, {@code ip:127.0.0.1}, ...), CN the first
     * name.
     */
    public Leaf issue(String alias, String... sans) {
        Path store = dir.resolve(name + "-" + alias + ".p12");
        Path csr = dir.resolve(name + "-" + alias + ".csr");
        Path pem = dir.resolve(name + "-" + alias + ".pem");
        String cn = sans[0].substring(sans[0].indexOf(':') + 1);
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", Integer.toString(validityDays), "-keystore", store.toString());
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore().toString(), "-infile", csr.toString(),
                "-outfile", pem.toString(), "-validity", Integer.toString(validityDays), "-ext",
                "SAN=" + String.join(",", sans), "-ext",
                "EKU=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(), "-keystore",
                store.toString());
        keytool("-importcert", "-alias", alias, "-file", pem.toString(), "-keystore", store.toString());
        return new Leaf(store, PASSWORD);
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
