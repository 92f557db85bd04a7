package io.damoov.gateway.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * JSON bodies as the gateway inspects them: one {@code Content-Type}, a JSON media type ({@code application/json},
 * {@code text/json}, {@code application/*+json}), parsed strictly (a repeated key, or anything after the first value,
 * is refused: the gateway and Damoov could read different values), and re-encoded, so what goes on is exactly what was
 * inspected.
 */
public final class JsonBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** Whether a media type (parameters allowed) is JSON; {@code multipart/form-data; boundary=json} is not. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("text/json")
                || (type.startsWith("application/") && type.endsWith("+json") && type.indexOf('/') == 11);
    }

    /**
     * The request's one {@code Content-Type}: a repeated one is 400; a body that is not JSON is 415 (every Damoov
     * route takes JSON, and form or multipart fields would be bound uninspected). Null when the body is empty.
     */
    public static Object parseRequest(MultiMap headers, Buffer body) {
        List<String> types = headers.getAll("Content-Type");
        if (types.size() > 1) {
            throw new GatewayException(ProblemType.BAD_REQUEST, "repeated-content-type",
                    "The request has more than one Content-Type");
        }
        if (body == null || body.length() == 0) {
            return null;
        }
        if (!isJson(types.isEmpty() ? null : types.get(0))) {
            throw new GatewayException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "not-json",
                    "Request bodies must be JSON (application/json)");
        }
        try {
            return parse(body);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ProblemType.BAD_REQUEST, "bad-json",
                    "The request body is not valid JSON, or repeats a key");
        }
    }

    /** Parses into maps, lists and scalars; a repeated key fails. */
    public static Object parse(Buffer body) throws JsonProcessingException {
        try {
            return MAPPER.readValue(body.getBytes(), Object.class);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Buffer encode(Object json) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
