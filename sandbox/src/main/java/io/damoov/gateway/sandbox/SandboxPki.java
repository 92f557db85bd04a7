package io.damoov.gateway.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority for dev mode and tests, made with the JDK's {@code keytool} (no library, no
 * network): {@link #create} makes the CA, {@link #issue} a leaf certificate with subject alternative names, signed
 * by it, in a PKCS#12 key store that a server serves ({@link DamoovSandbox#tls}). {@link #caPem()} and
 * {@link #trustStore()} are what a client trusts. Every store has the password {@link #PASSWORD}.
 */
public final class SandboxPki {

    public static final String PASSWORD = "changeit";

    private final Path dir;
    private final String name;

    private SandboxPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A leaf certificate and its key, with the CA's certificate in the chain, in a PKCS#12 store. */
    public record Leaf(Path keyStore, String password) {
    }

    /** Makes a CA called {@code name} in {@code dir} (created if absent). */
    public static SandboxPki create(Path dir, String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        SandboxPki pki = new SandboxPki(dir, name);
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + name, "-ext", "bc:c", "-validity", "3", "-keystore", pki.caStore().toString());
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
                "-validity", "3", "-keystore", store.toString());
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore().toString(), "-infile", csr.toString(),
                "-outfile", pem.toString(), "-validity", "3", "-ext", "SAN=" + String.join(",", sans), "-ext",
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
