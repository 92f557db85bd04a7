package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Many slow clients do not slow down the others, nor fill the heap (SPEC §2, docs/client-api.md "Framing and
 * limits"): the packaged gateway, at the Deployment's GC settings, serves 300 connections each sending 1 MiB slowly
 * without a valid token, plus a few slow uploads with a valid token, while another caller keeps getting 200 fast; a
 * connection that stalls halfway through its head is closed by the idle timeout. The heap is read from the
 * management port's Prometheus metrics ({@code jvm_memory_used_bytes{area="heap"}}, summed over the pools).
 */
class SlowClientsIT {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";
    private static final int STRANGERS = 300;
    private static final int UPLOADERS = 10;
    private static final int BODY = 1_000_000; // under the 1 MiB body limit
    private static final int CHUNK = 32 * 1024;
    private static final long ROUND_MILLIS = 600;
    private static final long HEAP_LIMIT = 150L * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldKeepServingOthersAndTheHeapBoundedWhenManyClientsSendSlowly() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            config.put("quarkus.http.idle-timeout", "5s");
            config.put("gateway.limits.body-read-timeout", "PT45S"); // the slow uploads take ~20 s on a busy machine
            try (GatewayProcess gw = GatewayProcess.start(config, env.workDir, GatewayProcess.defaultJava(),
                    List.of("-XX:+UseSerialGC", "-Xmn32m", "-Xms64m"))) {
                String caller = env.clientToken("caller-" + UUID.randomUUID());
                assertThat(env.get(gw, "/me", caller, null).statusCode()).isEqualTo(200);
                for (int i = 0; i < 50; i++) { // warm up
                    assertThat(env.get(gw, STATS, caller, null).statusCode()).isEqualTo(200);
                }
                String uploader = env.clientToken("uploader-" + UUID.randomUUID());
                assertThat(env.get(gw, "/me", uploader, null).statusCode()).isEqualTo(200);

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong maxHeap = new AtomicLong();
                Thread heapWatch = new Thread(() -> watchHeap(gw, running, maxHeap));
                heapWatch.start();
                List<Long> latencies = new CopyOnWriteArrayList<>();
                List<Integer> statuses = new CopyOnWriteArrayList<>();
                Thread other = new Thread(() -> callRepeatedly(gw, caller, running, latencies, statuses));

                Socket stalled = new Socket("127.0.0.1", gw.port);
                stalled.getOutputStream().write("GET /api/indicators/v3/Statistics HTTP/1.1\r\nHost: localhost\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                List<Socket> strangers = open(gw, STRANGERS, "Bearer not-a-valid-token");
                List<Socket> uploads = open(gw, UPLOADERS, "Bearer " + uploader);
                List<Socket> all = new ArrayList<>(strangers);
                all.addAll(uploads);
                other.start();
                long start = System.nanoTime();
                byte[] body = body();
                try {
                    for (int offset = 0; offset < BODY; offset += CHUNK) {
                        long roundStart = System.nanoTime();
                        for (Socket s : all) {
                            s.getOutputStream().write(body, offset, Math.min(CHUNK, BODY - offset));
                        }
                        long spent = (System.nanoTime() - roundStart) / 1_000_000;
                        Thread.sleep(Math.max(0, ROUND_MILLIS - spent));
                    }
                    for (Socket s : uploads) {
                        assertThat(statusLine(s)).as("slow upload with a valid token").startsWith("HTTP/1.1 200");
                    }
                    for (Socket s : strangers.subList(0, 20)) {
                        assertThat(statusLine(s)).as("slow stranger").startsWith("HTTP/1.1 401");
                    }
                } finally {
                    running.set(false);
                    other.join();
                    heapWatch.join();
                    for (Socket s : all) {
                        s.close();
                    }
                }
                long seconds = (System.nanoTime() - start) / 1_000_000_000;
                assertThat(closedByServer(stalled)).as("a head stalled for %d s is closed by the idle timeout",
                        seconds).isTrue();
                stalled.close();

                List<Long> sorted = new ArrayList<>(latencies);
                Collections.sort(sorted);
                long p50 = sorted.get(sorted.size() / 2);
                System.out.printf("SlowClientsIT: %d s of slow clients, max heap %d MB, %d other calls, p50 %d ms,"
                        + " max %d ms%n", seconds, maxHeap.get() / (1024 * 1024), sorted.size(), p50,
                        sorted.get(sorted.size() - 1));
                assertThat(statuses).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo(200));
                assertThat(sorted.size()).as("calls by the other caller").isGreaterThan(20);
                assertThat(p50).as("p50 latency of the other caller, ms").isLessThan(200);
                assertThat(maxHeap.get()).as("the gateway's largest heap use").isPositive().isLessThan(HEAP_LIMIT);
            }
        }
    }

    private static List<Socket> open(GatewayProcess gw, int n, String authorization) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        String head = "POST /carservice/v1/Vehicles HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY + "\r\n\r\n";
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", gw.port);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(s);
        }
        return sockets;
    }

    private static byte[] body() {
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) 'a');
        byte[] open = "{\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(open, 0, body, 0, open.length);
        body[BODY - 2] = '"';
        body[BODY - 1] = '}';
        return body;
    }

    private static String statusLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }

    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private void callRepeatedly(GatewayProcess gw, String token, AtomicBoolean running, List<Long> latencies,
            List<Integer> statuses) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + STATS))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build();
        while (running.get()) {
            long t0 = System.nanoTime();
            try {
                statuses.add(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            } catch (IOException e) {
                statuses.add(-1);
            } catch (InterruptedException e) {
                return;
            }
            latencies.add((System.nanoTime() - t0) / 1_000_000);
            sleep(100);
        }
    }

    private void watchHeap(GatewayProcess gw, AtomicBoolean running, AtomicLong max) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.managementPort
                + "/q/metrics")).timeout(Duration.ofSeconds(10)).build();
        while (running.get()) {
            try {
                long heap = http.send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
                max.accumulateAndGet(heap, Math::max);
            } catch (IOException e) {
                // a missed sample
            } catch (InterruptedException e) {
                return;
            }
            sleep(250);
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
