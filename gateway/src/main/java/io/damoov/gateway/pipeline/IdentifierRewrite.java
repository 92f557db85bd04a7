package io.damoov.gateway.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * Replaces the identifier values of a JSON document in its bytes, in one pass of Jackson's streaming parser: the
 * same values {@link Identifiers#rewrite} replaces in a parsed tree (a string under an identifier key at any depth,
 * every string directly in an array under one), with everything else left byte for byte as it came (no tree, no
 * re-encoding: numbers, escapes and key spellings stay as Damoov wrote them). The document is read to its end:
 * malformed JSON, a repeated key (in one object, after Jackson decoded its escapes) or anything after the first value
 * fails, so no second reading of the same bytes can see a value this one did not.
 */
final class IdentifierRewrite {

    /** Repeated keys are refused by {@link ObjectKeys}, which allocates nothing per object (Jackson's check does). */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Nesting depth followed; Jackson's own limit (1000) refuses deeper documents first. */
    private static final int MAX_DEPTH = 1024;

    private static final ThreadLocal<ObjectKeys> KEYS = ThreadLocal.withInitial(ObjectKeys::new);

    private IdentifierRewrite() {
    }

    /**
     * {@code body} with every identifier string value {@code v} replaced by {@code replace(v)}; {@code body} itself
     * when nothing changed.
     */
    static Buffer rewrite(Buffer body, UnaryOperator<String> replace) throws JsonProcessingException {
        // the body's own array when it has one (a heap buffer, as Vert.x hands answers over), else a copy; offsets
        // below are in the array, the parser's own ones from the body's first byte
        ByteBuf buf = body.getByteBuf();
        byte[] bytes;
        int from;
        if (buf.hasArray()) {
            bytes = buf.array();
            from = buf.arrayOffset() + buf.readerIndex();
        } else {
            bytes = body.getBytes();
            from = 0;
        }
        int to = from + body.length();
        List<ByteBuf> parts = null; // slices of the answer's array and the new values, not a copy of it all
        int copied = from;
        // per open container: is it an array, is it an array whose string elements are identifiers, and (an object)
        // its number for the repeated-key check; grown as the document nests
        boolean[] array = new boolean[16];
        boolean[] identifierArray = new boolean[16];
        int[] object = new int[16];
        int depth = 0;
        boolean identifierKey = false;
        ObjectKeys keys = KEYS.get();
        try (JsonParser p = FACTORY.createParser(bytes, from, to - from)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                boolean inArray = depth > 0 && array[depth - 1];
                boolean slot = inArray ? identifierArray[depth - 1] : identifierKey;
                if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (!keys.add(object[depth - 1], name)) {
                        throw new JsonParseException(p, "a repeated key");
                    }
                    identifierKey = Identifiers.isIdentifier(name);
                    continue;
                }
                identifierKey = false;
                if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    if (depth == MAX_DEPTH) {
                        throw new JsonParseException(p, "JSON nested too deeply");
                    }
                    if (depth == array.length) {
                        array = Arrays.copyOf(array, depth * 2);
                        identifierArray = Arrays.copyOf(identifierArray, depth * 2);
                        object = Arrays.copyOf(object, depth * 2);
                    }
                    array[depth] = t == JsonToken.START_ARRAY;
                    // an array under an identifier key holds identifiers; an array in an array does not
                    identifierArray[depth] = array[depth] && !inArray && slot;
                    object[depth] = array[depth] ? 0 : keys.open();
                    depth++;
                } else if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
                    depth--;
                } else if (t == JsonToken.VALUE_STRING && slot) {
                    int start = from + (int) p.currentTokenLocation().getByteOffset();
                    String value = p.getText();
                    String replaced = replace.apply(value);
                    if (!replaced.equals(value)) {
                        int end = from + (int) p.currentLocation().getByteOffset();
                        if (start < copied || end > to || bytes[start] != '"' || bytes[end - 1] != '"') {
                            throw new IllegalStateException("string token bounds not where expected");
                        }
                        if (parts == null) {
                            parts = new ArrayList<>(8);
                        }
                        // the answer's bytes up to the value's opening quote, the new value, and on from its closing one
                        parts.add(Unpooled.wrappedBuffer(bytes, copied, start + 1 - copied));
                        parts.add(Unpooled.wrappedBuffer(JsonStringEncoder.getInstance().quoteAsUTF8(replaced)));
                        copied = end - 1;
                    }
                }
                if (depth == 0) {
                    break; // the first value is complete
                }
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            keys.clear();
        }
        if (parts == null) {
            return body;
        }
        parts.add(Unpooled.wrappedBuffer(bytes, copied, to - copied));
        return Buffer.buffer(Unpooled.wrappedBuffer(parts.size(), parts.toArray(new ByteBuf[0])));
    }
}
