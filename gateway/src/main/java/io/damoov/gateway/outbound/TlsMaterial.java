package io.damoov.gateway.outbound;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;

/**
 * What a TLS registry entry's clients were built with, so a reload that changed nothing changes nothing: Quarkus
 * fires {@link CertificateUpdatedEvent} after every periodic reload ({@code quarkus.tls.<name>.reload-period}),
 * changed or not. {@link #changedBy} tells whether an event is about this entry and brings other certificates.
 */
public final class TlsMaterial {

    private final Optional<String> name;
    private String fingerprint;

    public TlsMaterial(OutboundOptions outbound, Optional<String> name) {
        this.name = name;
        this.fingerprint = outbound.tls(name).map(TlsMaterial::fingerprint).orElse("");
    }

    /** True when {@code event} reloaded this entry with other trust or key material (remembered from now on). */
    public synchronized boolean changedBy(CertificateUpdatedEvent event) {
        if (name.isEmpty() || !name.get().equals(event.name())) {
            return false;
        }
        String now = fingerprint(event.tlsConfiguration());
        if (now.equals(fingerprint)) {
            return false;
        }
        fingerprint = now;
        return true;
    }

    /** SHA-256 over every certificate of the entry's trust and key stores, by alias. */
    static String fingerprint(TlsConfiguration tls) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (KeyStore store : new KeyStore[] { tls.getTrustStore(), tls.getKeyStore() }) {
                digest.update((byte) '|');
                if (store == null) {
                    continue;
                }
                List<String> aliases = Collections.list(store.aliases());
                Collections.sort(aliases);
                for (String alias : aliases) {
                    Certificate[] chain = store.getCertificateChain(alias);
                    Certificate one = store.getCertificate(alias);
                    for (Certificate c : chain != null ? chain
                            : one != null ? new Certificate[] { one }
                                    : new Certificate[0]) {
                        digest.update(c.getEncoded());
                    }
                }
            }
            digest.update((byte) (tls.isTrustAll() ? 1 : 0));
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            return "unreadable-" + System.nanoTime(); // never equal: the clients are updated
        }
    }
}
