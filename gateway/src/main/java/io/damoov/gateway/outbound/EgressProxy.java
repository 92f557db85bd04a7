package io.damoov.gateway.outbound;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

/**
 * {@code gateway.egress-proxy}: {@code http://[user:password@]host:port}, an HTTP forward proxy (CONNECT for https
 * upstreams, absolute-form for http ones). {@link #toString()} and {@link #masked()} never show the credentials.
 */
public record EgressProxy(String host, int port, String user, String password) {

    /** Parses the setting; the message of a failure never repeats the value (it may hold a password). */
    public static EgressProxy parse(String value) {
        URI u;
        try {
            u = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an http://[user:password@]host:port URL");
        }
        if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPort() <= 0) {
            throw new IllegalArgumentException("not an http://[user:password@]host:port URL");
        }
        String user = null;
        String password = null;
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        return new EgressProxy(u.getHost(), u.getPort(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Vert.x's proxy options for this proxy. */
    public ProxyOptions options() {
        ProxyOptions o = new ProxyOptions().setType(ProxyType.HTTP).setHost(host).setPort(port);
        if (user != null) {
            o.setUsername(user).setPassword(password == null ? "" : password);
        }
        return o;
    }

    /** {@code http://***@host:port} with credentials, {@code http://host:port} without. */
    public String masked() {
        return "http://" + (user != null ? "***@" : "") + host + ":" + port;
    }

    @Override
    public String toString() {
        return masked();
    }
}
