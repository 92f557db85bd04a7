package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.vertx.core.http.HttpServerRequest;

/**
 * The two request paths of the public port, assembled from the same steps (the package description lists them). The
 * composition root: it holds every step by design, and does nothing else.
 */
@Singleton
public class Pipelines {

    private final ReadBody readBody;
    private final Pipeline proxy;
    private final Pipeline me;
    private final Pipeline malformed;

    Pipelines(CheckFraming framing, NormalizePath normalize, Authenticate authenticate, ReadBody readBody, RouteRequest route,
            ResolveDeviceToken resolve, Hygiene hygiene, Credential credential, Forward forward,
            ResponseHygiene responseHygiene, Respond respond,
            MeAnswer meAnswer, RefuseMalformed refuseMalformed, AuditTrail trail) {
        this.readBody = readBody;
        this.proxy = new Pipeline(trail, framing, normalize, authenticate, route, readBody, resolve, hygiene,
                credential, forward, responseHygiene, trail, respond);
        this.me = new Pipeline(trail, framing, authenticate, resolve, trail, meAnswer);
        this.malformed = new Pipeline(trail, refuseMalformed);
    }

    /** {@code /{upstream}/{damoov path}}; {@code requestId} is the request's settled id (edge.RequestLogContext). */
    public void proxy(HttpServerRequest request, String requestId) {
        Exchange ex = Exchange.proxied(request, requestId);
        readBody.hold(ex);
        proxy.run(ex);
    }

    /** {@code GET /me}: the caller's mapping, enrolling on first call. */
    public void me(HttpServerRequest request, String requestId) {
        me.run(Exchange.own(request, requestId, "me", "/me"));
    }

    /**
     * A request the HTTP server could not decode ({@code request.decoderResult()} failed): refused with problem+json
     * and audited, never routed (edge.MalformedRequests hands it over).
     */
    public void malformed(HttpServerRequest request, String requestId) {
        malformed.run(Exchange.proxied(request, requestId));
    }
}
