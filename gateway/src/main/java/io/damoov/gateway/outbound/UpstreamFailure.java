package io.damoov.gateway.outbound;

import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.damoov.gateway.core.ProblemType;

/**
 * Tells outbound failures apart (docs/client-api.md): proxy refusal, untrusted certificate, host-name mismatch,
 * other TLS handshake failures, connection refused, connect timeout, answer timeout. A failed TLS verification
 * ends the connection before any request is written, so no credential goes over it.
 */
public final class UpstreamFailure {

    private UpstreamFailure() {
    }

    /**
     * True for the failures that open a host's circuit breaker ({@link HostBreaker}): no connection could be made or
     * secured (refused, connect or handshake timeout, TLS failure, proxy refusal). An HTTP answer of any status, and
     * a timeout waiting for an answer on an established connection, are not: the host is there.
     */
    public static boolean connectionLevel(ProblemType type) {
        return switch (type) {
            case UPSTREAM_CONNECTION_REFUSED, UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_TLS_HANDSHAKE,
                    UPSTREAM_CERTIFICATE_UNTRUSTED, UPSTREAM_HOST_MISMATCH, EGRESS_PROXY_REFUSED ->
                true;
            default -> false;
        };
    }

    /** The problem type of {@code t}; {@code proxied}: the connection went to the egress proxy. */
    public static ProblemType classify(Throwable t, boolean proxied) {
        boolean tls = false;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = c.getClass().getSimpleName();
            String message = String.valueOf(c.getMessage());
            if (name.contains("ProxyConnect")) {
                return ProblemType.EGRESS_PROXY_REFUSED;
            }
            if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
                return ProblemType.UPSTREAM_CERTIFICATE_UNTRUSTED;
            }
            if (c instanceof CertificateException && (message.contains("No subject alternative")
                    || message.contains("No name matching"))) {
                return ProblemType.UPSTREAM_HOST_MISMATCH;
            }
            tls |= c instanceof SSLException;
            if (c instanceof ConnectException && !tls) {
                return name.contains("ConnectTimeout") ? ProblemType.UPSTREAM_CONNECT_TIMEOUT
                        : proxied ? ProblemType.EGRESS_PROXY_REFUSED : ProblemType.UPSTREAM_CONNECTION_REFUSED;
            }
            if (name.contains("ConnectTimeout")) {
                return ProblemType.UPSTREAM_CONNECT_TIMEOUT;
            }
            if (!tls && (c instanceof TimeoutException || name.contains("Timeout"))) {
                return ProblemType.GATEWAY_TIMEOUT;
            }
        }
        return tls ? ProblemType.UPSTREAM_TLS_HANDSHAKE : ProblemType.BAD_GATEWAY;
    }
}
