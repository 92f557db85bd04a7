package io.damoov.gateway.pipeline;

import java.util.function.UnaryOperator;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.routing.CredentialKind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;

/**
 * Damoov's answer as the caller may see it. On user and device routes a JSON body is buffered (up to
 * {@code gateway.max-inspected-response-size}, 502 beyond) and every DeviceToken in it other than the caller's own
 * becomes a {@link Pseudonyms pseudonym}, so no app learns another user's credential, in the answer's own bytes
 * ({@link IdentifierRewrite}: no tree, no re-encoding); an answer that cannot be inspected (too large, encoded, not
 * exactly one JSON value, a repeated key) is 502. Admin routes and other bodies stay streamed by {@link Respond}.
 * It stands before the audit record, so the record's status is the one the caller gets.
 */
@Singleton
class ResponseHygiene implements Step {

    private final Pseudonyms pseudonyms;
    private final long maxInspected;

    ResponseHygiene(Pseudonyms pseudonyms, GatewayConfig config) {
        this.pseudonyms = pseudonyms;
        this.maxInspected = config.maxInspectedResponseSize().asLongValue();
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        HttpClientResponse resp = ex.upstreamResponse();
        if (!rewritten(ex, resp)) {
            return Future.succeededFuture();
        }
        return BodyReader.read(resp, maxInspected, () -> uninspectable("response-too-large",
                "Damoov's answer exceeds " + maxInspected + " bytes")).map(body -> {
                    ex.inspectedAnswer(pseudonymise(ex, resp, body));
                    return null;
                });
    }

    /** User and device routes, a JSON answer with a body. */
    private static boolean rewritten(Exchange ex, HttpClientResponse resp) {
        CredentialKind kind = ex.route().credential();
        return (kind == CredentialKind.USER || kind == CredentialKind.DEVICE) && ex.request().method() != HttpMethod.HEAD
                && resp.statusCode() != 204 && resp.statusCode() != 304 && JsonBodies.isJson(resp.getHeader("Content-Type"));
    }

    private Buffer pseudonymise(Exchange ex, HttpClientResponse resp, Buffer body) {
        if (body.length() == 0) {
            return body;
        }
        String encoding = resp.getHeader("Content-Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw uninspectable("encoded-response", "Damoov's answer is encoded and cannot be inspected");
        }
        if (!Identifiers.mayName(body)) {
            return body; // no key can name a DeviceToken: nothing to rewrite, and no parse
        }
        String own = ex.deviceToken();
        UnaryOperator<String> pseudonym = pseudonyms.forTenant(ex.tenantId());
        try {
            return IdentifierRewrite.rewrite(body, v -> v.equalsIgnoreCase(own) ? v : pseudonym.apply(v));
        } catch (JsonProcessingException e) {
            throw uninspectable("bad-json-response", "Damoov's answer is not valid JSON");
        }
    }

    private static GatewayException uninspectable(String reason, String detail) {
        return new GatewayException(ProblemType.BAD_GATEWAY, reason, detail);
    }
}
