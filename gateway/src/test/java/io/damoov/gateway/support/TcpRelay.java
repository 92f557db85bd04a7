package io.damoov.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener in front of the sandbox that a test switches between {@link #forward()} (bytes piped to the sandbox:
 * TLS runs end to end, so the gateway sees the sandbox's certificate) and {@link #silence()} (connections are
 * accepted and read, never answered: a host that is there for TCP and dead above it). Counts every connection it
 * accepts ({@link #accepted()}) and keeps what silenced connections sent ({@link #silencedBytes()}).
 */
public final class TcpRelay implements AutoCloseable {

    private final int targetPort;
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ByteArrayOutputStream silenced = new ByteArrayOutputStream();
    private volatile boolean silent;

    public TcpRelay(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen", e);
        }
        Thread t = new Thread(this::acceptLoop, "tcp-relay-" + port());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted since the start. */
    public int accepted() {
        return accepted.get();
    }

    /** New connections are held open and never answered; the connections open now are closed. */
    public void silence() {
        silent = true;
        closeOpen();
    }

    /** New connections are piped to the sandbox; silenced ones are closed. */
    public void forward() {
        silent = false;
        closeOpen();
    }

    /** Everything silenced connections sent, as ISO-8859-1 text (for searching credentials in it). */
    public String silencedBytes() {
        synchronized (silenced) {
            return silenced.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void closeOpen() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                open.add(client);
                if (silent) {
                    thread(() -> swallow(client));
                } else {
                    Socket upstream = new Socket("127.0.0.1", targetPort);
                    open.add(upstream);
                    thread(() -> pipe(client, upstream));
                    thread(() -> pipe(upstream, client));
                }
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void swallow(Socket s) {
        byte[] buffer = new byte[4096];
        try (InputStream in = s.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (silenced) {
                    silenced.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(s);
        }
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void thread(Runnable r) {
        Thread t = new Thread(r, "tcp-relay-io");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        closeOpen();
    }
}
