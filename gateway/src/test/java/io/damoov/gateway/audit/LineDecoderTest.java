package io.damoov.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** The journal's fast reader reads what JSON reads, or leaves the line to JSON; never a different record. */
class LineDecoderTest {

    private static final String[] PIECES = { "a", "Z", "0", "-", "/", " ", "é", "\u00ff", "\u20ac", "\uD83D\uDE00",
            "\"", "\\", "\n", "\t", "\u0001", "\u2028", "\u007f", "\uD800", "{", "}", ",", ":" };

    @Test
    void shouldDecodeEveryLineAsJsonDoesAndTakeThePlainOnesItself() {
        Random random = new Random(18);
        int fast = 0;
        for (int n = 0; n < 2000; n++) {
            boolean plain = n % 2 == 0; // half of them without anything that needs an escape
            AuditRecord r = new AuditRecord(text(random, plain, false), Instant.ofEpochMilli(random.nextLong() >>> 20),
                    text(random, plain, true), text(random, plain, true), text(random, plain, true),
                    text(random, plain, false), text(random, plain, true), text(random, plain, true),
                    text(random, plain, true), text(random, plain, true), random.nextInt(600) - 50,
                    random.nextInt(), text(random, plain, true), text(random, plain, true),
                    plain ? random.nextInt(1_000_000) : random.nextLong() >>> random.nextInt(64), text(random, plain, true));
            byte[] line = AuditJournal.encode(r);
            int length = line.length - 1; // without the newline
            AuditRecord json = AuditJournal.fromJson(new JsonObject(new String(line, 0, length, StandardCharsets.UTF_8)));

            AuditRecord decoded = LineDecoder.decode(line, 0, length);

            if (decoded != null) {
                fast++;
                assertThat(decoded).isEqualTo(json);
            }
            if (plain) {
                assertThat(decoded).as("a plain line is read by the fast path").isNotNull();
            }
            for (int cut = 0; cut < length; cut += 1 + random.nextInt(40)) { // a torn line is never a record
                assertThat(LineDecoder.decode(line, 0, cut)).isNull();
            }
        }
        assertThat(fast).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void shouldLeaveLinesOfAnotherShapeToJson() {
        String reordered = "{\"at\":1,\"id\":\"x\",\"tenant\":null,\"subject\":null,\"principal\":null,\"action\":\"use\","
                + "\"tokenFingerprint\":null,\"route\":null,\"method\":null,\"path\":null,\"status\":200,"
                + "\"upstreamStatus\":0,\"clientIp\":null,\"requestId\":null,\"latencyMs\":0,\"reason\":null}";
        String trailing = new String(AuditJournal.encode(AuditRecord.of("use").build(java.time.Clock.systemUTC())),
                StandardCharsets.UTF_8).trim() + " ";
        String hugeNumber = new String(AuditJournal.encode(AuditRecord.of("use").build(java.time.Clock.systemUTC())),
                StandardCharsets.UTF_8).trim().replaceFirst("\"latencyMs\":0", "\"latencyMs\":99999999999999999999");

        for (String line : new String[] { reordered, trailing, hugeNumber }) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThat(LineDecoder.decode(b, 0, b.length)).as(line).isNull();
        }
    }

    private static String text(Random random, boolean plain, boolean nullable) {
        if (nullable && random.nextInt(6) == 0) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append(PIECES[random.nextInt(plain ? 10 : PIECES.length)]);
        }
        return s.toString();
    }
}
