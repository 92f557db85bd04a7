package io.damoov.gateway.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * A small HTTP forward proxy for tests: {@code CONNECT host:port} tunnels to the address {@code hosts} maps the host
 * to (the gateway cannot resolve those names itself, so what it reaches, it reaches through here), after checking
 * {@code Proxy-Authorization}; an unknown host is a 403, bad credentials a 407. {@code GET /_proxy/counters} (plain,
 * not proxied) answers {@code tunnels refused}.
 */
public final class TestProxy implements AutoCloseable {

    private final Vertx vertx;
    private final Map<String, Integer> hosts;
    private final String expectedAuthorization;
    private final NetClient client;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private NetServer server;

    /** {@code hosts}: host name → port on 127.0.0.1. */
    public TestProxy(Vertx vertx, Map<String, Integer> hosts, String user, String password) {
        this.vertx = vertx;
        this.hosts = hosts;
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.client = vertx.createNetClient();
    }

    public TestProxy start() {
        server = vertx.createNetServer().connectHandler(this::accept);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    private void accept(NetSocket socket) {
        socket.pause();
        RecordParser head = RecordParser.newDelimited("\r\n\r\n");
        head.handler(block -> {
            socket.handler(null);
            onHead(socket, block.toString(StandardCharsets.ISO_8859_1));
        });
        socket.handler(head);
        socket.resume();
    }

    private void onHead(NetSocket socket, String head) {
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        if (start[0].equals("GET") && start[1].equals("/_proxy/counters")) {
            String body = tunnels.get() + " " + refused.get();
            socket.end(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body));
            return;
        }
        String authorization = null;
        for (String line : lines) {
            if (line.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
                authorization = line.substring(20).trim();
            }
        }
        if (!start[0].equals("CONNECT")) {
            refuse(socket, "405 Method Not Allowed");
            return;
        }
        if (!expectedAuthorization.equals(authorization)) {
            refuse(socket, "407 Proxy Authentication Required");
            return;
        }
        String host = start[1].substring(0, start[1].lastIndexOf(':'));
        Integer port = hosts.get(host);
        if (port == null) {
            refuse(socket, "403 Forbidden");
            return;
        }
        socket.pause();
        client.connect(port, "127.0.0.1").onSuccess(upstream -> {
            tunnels.incrementAndGet();
            socket.handler(upstream::write);
            upstream.handler(socket::write);
            socket.closeHandler(v -> upstream.close());
            upstream.closeHandler(v -> socket.close());
            socket.write(Buffer.buffer("HTTP/1.1 200 Connection Established\r\n\r\n"));
            socket.resume();
        }).onFailure(e -> refuse(socket, "502 Bad Gateway"));
    }

    private void refuse(NetSocket socket, String status) {
        refused.incrementAndGet();
        socket.end(Buffer.buffer("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        client.close();
    }
}
