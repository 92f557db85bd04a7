package io.damoov.gateway.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar} of this module: failsafe runs in
 * {@code gateway/}, after the package phase) in its own JVM, for black-box tests of what only a real process shows:
 * restarts, SIGTERM, two replicas sharing PostgreSQL, start-up failures. The jar has no sandbox: the tests run
 * theirs in the test JVM ({@code ItEnvironment}).
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    public final int port;
    public final int managementPort;

    private GatewayProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts the jar with {@code config} as system properties; waits until it answers on the management port. */
    public static GatewayProcess start(Map<String, String> config, Path workDir) throws IOException {
        return start(config, workDir, defaultJava(), List.of());
    }

    /** The same with another {@code java} and extra JVM options (before the system properties). */
    public static GatewayProcess start(Map<String, String> config, Path workDir, Path java, List<String> jvmOptions)
            throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("package the gateway first: " + JAR);
        }
        Files.createDirectories(workDir);
        int port = freePort();
        int management = freePort();
        List<String> options = new ArrayList<>(List.of("-Xmx256m"));
        options.addAll(jvmOptions);
        List<String> cmd = command(java, options, config, port, management);
        Path log = Files.createTempFile(workDir, "gateway-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the process must not inherit CI's datasource: the test decides through 'config'
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_DATASOURCE"));
        GatewayProcess gp = new GatewayProcess(pb.start(), log, port, management);
        gp.awaitReady(Duration.ofSeconds(60));
        return gp;
    }

    /** Runs the jar expecting it to fail at start; returns its exit code and output. */
    public static Result runExpectingFailure(Map<String, String> config, Path workDir) throws Exception {
        Files.createDirectories(workDir);
        List<String> cmd = command(defaultJava(), List.of(), config, freePort(), freePort());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_DATASOURCE") || k.startsWith("GATEWAY_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the gateway did not stop");
        }
        return new Result(p.exitValue(), out);
    }

    public record Result(int exitCode, String output) {
    }

    /** {@code java [options] -D<config>... -jar quarkus-run.jar} on the given public and management ports. */
    static List<String> command(Path java, List<String> jvmOptions, Map<String, String> config, int port,
            int managementPort) {
        Map<String, String> all = new LinkedHashMap<>(config);
        all.put("quarkus.http.port", Integer.toString(port));
        all.put("quarkus.management.port", Integer.toString(managementPort));
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(jvmOptions);
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(JAR.toString());
        return cmd;
    }

    static Path defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then waits for the process to end; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** SIGSTOP: the process freezes (a stalled node, a long GC pause, a cut-off VM) but keeps its sockets open. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** SIGKILL, as an OOM kill or a lost pod does it: no shutdown hook runs. Waits for the process to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the gateway did not end within 30 s of SIGKILL");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("CONT"); // a frozen process would not handle SIGTERM
            terminate();
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited at start:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the gateway was not ready in time:\n" + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
