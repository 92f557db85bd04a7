package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * The streaming rewrite of response bodies replaces exactly what the tree rewrite of request bodies does
 * ({@link Identifiers#rewrite}), leaves every other byte as it was, and refuses what a second reader could read
 * differently.
 */
class IdentifierRewriteTest {

    private static final UnaryOperator<String> REPLACE = v -> v.startsWith("own") ? v : "anon-" + v.hashCode();
    private static final String[] KEYS = { "DeviceToken", "deviceTokens", "UserId", "userDeviceToken", "DEVICEID",
            "Name", "Items", "Result", "req.UserId", "a" };

    @Test
    void shouldReplaceTheSameValuesAsTheTreeRewriteInRandomDocuments() throws Exception {
        Random random = new Random(20261203);
        int changed = 0;
        for (int i = 0; i < 2000; i++) {
            Object doc = value(random, 0);
            Buffer body = JsonBodies.encode(doc);

            Object expected = JsonBodies.parse(body);
            boolean treeChanged = Identifiers.rewrite(expected, v -> v instanceof String s ? REPLACE.apply(s) : v);
            Buffer rewritten = IdentifierRewrite.rewrite(body, REPLACE);

            assertThat(JsonBodies.parse(rewritten)).as(body.toString()).isEqualTo(expected);
            if (treeChanged) {
                changed++;
            } else {
                assertThat(rewritten).as("unchanged: the same buffer").isSameAs(body);
            }
        }
        assertThat(changed).as("documents with something to replace").isGreaterThan(200);
    }

    @Test
    void shouldLeaveEveryByteOutsideTheReplacedValuesAsItWas() throws Exception {
        String body = "{ \"Device\\u0054oken\" : \"abc\",\"Score\":1.50e2, \"Name\":\"caf\\u00e9 \\\"q\\\"\","
                + "\"UserIds\":[ \"x\\/y\" , 7 ,null, [\"deep\"], {\"DeviceId\":\"own-1\"}] }\n";

        String out = IdentifierRewrite.rewrite(Buffer.buffer(body), REPLACE).toString();

        assertThat(out).isEqualTo("{ \"Device\\u0054oken\" : \"anon-" + "abc".hashCode()
                + "\",\"Score\":1.50e2, \"Name\":\"caf\\u00e9 \\\"q\\\"\",\"UserIds\":[ \"anon-" + "x/y".hashCode()
                + "\" , 7 ,null, [\"deep\"], {\"DeviceId\":\"own-1\"}] }\n");
    }

    @Test
    void shouldEscapeAReplacementThatNeedsIt() throws Exception {
        String out = IdentifierRewrite.rewrite(Buffer.buffer("[{\"DeviceToken\":\"a\"}]"), v -> "q\"\\é").toString();

        assertThat(out).isEqualTo("[{\"DeviceToken\":\"q\\\"\\\\é\"}]");
    }

    @Test
    void shouldRefuseWhatAnotherReaderCouldReadDifferently() {
        for (String body : new String[] { "{\"a\":1} {\"DeviceToken\":\"b\"}", "{\"a\":1}x",
                "{\"DeviceToken\":\"a\",\"DeviceToken\":\"b\"}", "{\"DeviceToken\":\"a\"", "[\"a\",]",
                "{\"DeviceToken\":'a'}" }) {
            assertThatThrownBy(() -> IdentifierRewrite.rewrite(Buffer.buffer(body), REPLACE)).as(body)
                    .isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void shouldReadABodyThatIsPartOfALargerArray() throws Exception {
        String doc = "{\"x\":1,\"DeviceToken\":\"v1\",\"UserIds\":[\"own-1\",\"v2\"]}";
        byte[] around = ("]]\"garbage" + doc + "\"DeviceToken\":\"tail\"").getBytes(StandardCharsets.UTF_8);
        Buffer slice = Buffer.buffer(Unpooled.wrappedBuffer(around, 10, doc.length()));

        assertThat(slice.toString()).isEqualTo(doc);
        assertThat(IdentifierRewrite.rewrite(slice, REPLACE).toString())
                .isEqualTo(IdentifierRewrite.rewrite(Buffer.buffer(doc), REPLACE).toString())
                .isEqualTo("{\"x\":1,\"DeviceToken\":\"anon-" + "v1".hashCode() + "\",\"UserIds\":[\"own-1\",\"anon-"
                        + "v2".hashCode() + "\"]}");
        Buffer untouched = Buffer.buffer(Unpooled.wrappedBuffer(around, 10, 7)); // {"x":1 ... is not whole
        assertThatThrownBy(() -> IdentifierRewrite.rewrite(untouched, REPLACE))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void shouldRefuseARepeatedKeyOnlyWithinOneObject() throws Exception {
        for (String body : new String[] { "{\"a\":{\"b\":1},\"a\":2}", "{\"a\":1,\"\\u0061\":2}",
                "[{\"x\":[{\"DeviceToken\":\"a\"}],\"y\":1,\"x\":2}]", manyKeys(2_000, true) }) {
            assertThatThrownBy(() -> IdentifierRewrite.rewrite(Buffer.buffer(body), REPLACE)).as(body)
                    .isInstanceOf(JsonProcessingException.class);
        }
        for (String body : new String[] { "[{\"a\":1},{\"a\":2}]", "{\"x\":{\"a\":1},\"a\":2}",
                "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}", manyKeys(2_000, false) }) {
            assertThat(IdentifierRewrite.rewrite(Buffer.buffer(body), REPLACE).toString()).as(body).isEqualTo(body);
        }
    }

    /** An object of {@code n} distinct keys, and one more that repeats the first when {@code repeat}. */
    private static String manyKeys(int n, boolean repeat) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return out.append(repeat ? ",\"k0\":0}" : "}").toString();
    }

    private static Object value(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 4 : 7);
        return switch (kind) {
            case 0 -> "v" + random.nextInt(1000);
            case 1 -> "own-" + random.nextInt(10);
            case 2 -> random.nextBoolean() ? random.nextInt(100) : null;
            case 3 -> random.nextDouble();
            case 4, 5 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    map.put(KEYS[random.nextInt(KEYS.length)], value(random, depth + 1));
                }
                yield map;
            }
            default -> {
                List<Object> list = new ArrayList<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    list.add(value(random, depth + 1));
                }
                yield list;
            }
        };
    }
}
