package io.damoov.gateway.outbound;

import java.net.URI;

/**
 * An upstream's base URL ({@code gateway.upstreams.*}), parsed once rather than on every request (parsing an
 * absolute URI per request showed in the proxy's profile), the one rule for upstream URLs: the proxy's targets, the
 * host breakers and the configuration check read them with it.
 */
public record UpstreamTarget(String host, int port, boolean ssl, String basePath) {

    public static UpstreamTarget of(String baseUrl) {
        URI u = URI.create(baseUrl);
        boolean ssl = "https".equalsIgnoreCase(u.getScheme());
        String host = u.getHost();
        if (host == null || !(ssl || "http".equalsIgnoreCase(u.getScheme()))) {
            throw new IllegalArgumentException("not an http(s) URL with a host");
        }
        if (host.startsWith("[") && host.endsWith("]")) { // IPv6 literal
            host = host.substring(1, host.length() - 1);
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        return new UpstreamTarget(host, u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80, ssl,
                path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }
}
