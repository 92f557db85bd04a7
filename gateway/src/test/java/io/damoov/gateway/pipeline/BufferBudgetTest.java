package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Request bodies the gateway buffers are capped per connection and in total (docs/client-api.md, body limit): over
 * either cap the answer is 503 {@code overloaded} with {@code Retry-After}, and the bytes are given back when the
 * exchange ends, however it ends. A body that does not arrive within the body-read timeout is 408.
 */
@QuarkusTest
@TestProfile(BufferBudgetTest.SmallBudget.class)
class BufferBudgetTest extends GatewayTest {

    static final int BODY = 30 * 1024;

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.limits.buffered-bytes-per-connection", "40K",
                    "gateway.limits.buffered-bytes-total", "100K",
                    "gateway.limits.body-read-timeout", "PT4S");
        }
    }

    @Test
    void shouldAnswer503WhenABodyExceedsTheConnectionsBudget() throws Exception {
        String token = userToken("acme", newSubject());
        enroll(token);
        try (Held held = Held.open(token, 50 * 1024)) { // under the 64 KiB body limit, over the 40 KiB budget
            String answer = held.answer(5_000);
            assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 1")
                    .contains("application/problem+json").contains("urn:damoov-gateway:problem:overloaded")
                    .containsIgnoringCase("X-Request-Id");
        }
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldAnswer503WhenAllBodiesTogetherExceedTheTotalAndGiveTheBytesBackWhenTheyEnd() throws Exception {
        String token = userToken("acme", newSubject());
        enroll(token);
        List<Held> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // 90 KiB of the 100 KiB buffered
                held.add(Held.open(token, BODY));
                assertThat(held.get(i).answer(300)).as("held request %d", i).isEmpty();
            }
            try (Held fourth = Held.open(token, BODY)) {
                assertThat(fourth.answer(5_000)).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After:")
                        .contains("urn:damoov-gateway:problem:overloaded");
            }
            // a completed exchange gives its bytes back
            assertThat(held.get(0).finish()).startsWith("HTTP/1.1 200");
            try (Held again = Held.open(token, BODY)) {
                assertThat(again.finish()).startsWith("HTTP/1.1 200");
            }
            // so does a connection the client drops halfway
            held.get(1).close();
            held.get(2).close();
            Thread.sleep(300);
            try (Held a = Held.open(token, BODY); Held b = Held.open(token, BODY); Held c = Held.open(token, BODY)) {
                assertThat(a.finish()).startsWith("HTTP/1.1 200");
                assertThat(b.finish()).startsWith("HTTP/1.1 200");
                assertThat(c.finish()).startsWith("HTTP/1.1 200");
            }
        } finally {
            for (Held h : held) {
                h.close();
            }
        }
        assertThat(sandbox.calls("data")).isEqualTo(5);
    }

    @Test
    void shouldAnswer408WhenTheBodyDoesNotArriveInTime() throws Exception {
        String token = userToken("acme", newSubject());
        enroll(token);
        long start = System.nanoTime();
        try (Held held = Held.open(token, BODY)) {
            String answer = held.answer(15_000);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("urn:damoov-gateway:problem:request-timeout")
                    .contains("application/problem+json");
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(3_000L, 12_000L);
        // the bytes are given back: three bodies fit again
        try (Held a = Held.open(token, BODY); Held b = Held.open(token, BODY); Held c = Held.open(token, BODY)) {
            assertThat(a.finish()).startsWith("HTTP/1.1 200");
            assertThat(b.finish()).startsWith("HTTP/1.1 200");
            assertThat(c.finish()).startsWith("HTTP/1.1 200");
        }
        assertThat(sandbox.calls("data")).isEqualTo(3);
    }

    /** A JSON POST whose head and first KiB are sent; the rest waits for {@link #finish}. */
    static final class Held implements AutoCloseable {

        private final Socket socket;
        private final byte[] body;

        private Held(Socket socket, byte[] body) {
            this.socket = socket;
            this.body = body;
        }

        static Held open(String token, int size) throws IOException {
            byte[] body = ("{\"pad\":\"" + "a".repeat(size - 10) + "\"}").getBytes(StandardCharsets.US_ASCII);
            int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
            Socket s = new Socket("127.0.0.1", port);
            String head = "POST /carservice/v1/Vehicles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length
                    + "\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body, 0, 1024);
            s.getOutputStream().flush();
            return new Held(s, body);
        }

        /** Sends the rest of the body and reads the answer. */
        String finish() throws IOException {
            socket.getOutputStream().write(body, 1024, body.length - 1024);
            socket.getOutputStream().flush();
            return answer(10_000);
        }

        /** What the gateway sent within {@code millis} (empty if nothing), up to its close. */
        String answer(int millis) throws IOException {
            socket.setSoTimeout(millis);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            InputStream in = socket.getInputStream();
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    all.write(buf, 0, n);
                    socket.setSoTimeout(500);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // nothing more within the time, or the server reset the connection after answering
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
