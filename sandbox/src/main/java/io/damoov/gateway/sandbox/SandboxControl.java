package io.damoov.gateway.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Control API ({@code /_sandbox/...}) for dev mode and for tests that run the gateway as a separate process, and
 * the demo IdPs' HTTP side ({@code /idp/<name>/jwks}, {@code /idp/<name>/token},
 * {@code /idp/<name>/.well-known/openid-configuration}). Plain JSON, no envelope.
 */
final class SandboxControl {

    private final DamoovSandbox sandbox;

    SandboxControl(DamoovSandbox sandbox) {
        this.sandbox = sandbox;
    }

    Reply handle(String path, Exchange ex) {
        String action = path.substring("/_sandbox".length());
        String m = ex.method();
        switch (action) {
            case "/expire-all":
                if (m.equals("POST")) {
                    sandbox.expireAllTokens();
                    return ok();
                }
                break;
            case "/break-refresh":
                if (m.equals("POST")) {
                    sandbox.breakRefreshTokens();
                    return ok();
                }
                break;
            case "/reset":
                if (m.equals("POST")) {
                    sandbox.reset();
                    return ok();
                }
                break;
            case "/counters":
                if (m.equals("GET")) {
                    return json(200, sandbox.countersJson());
                }
                break;
            case "/tls":
                if (m.equals("GET")) {
                    return json(200, sandbox.tlsJson());
                }
                break;
            case "/settings":
                if (m.equals("PUT") || m.equals("POST")) {
                    try {
                        sandbox.settings().apply(body(ex));
                    } catch (IllegalArgumentException e) {
                        return error(400, e.getMessage());
                    }
                    return json(200, sandbox.settings().toJson());
                }
                if (m.equals("GET")) {
                    return json(200, sandbox.settings().toJson());
                }
                break;
            case "/instances":
                if (m.equals("POST")) {
                    JsonObject b = body(ex);
                    sandbox.addInstance(required(b, "instanceId"), required(b, "instanceKey"));
                    return ok();
                }
                break;
            case "/admins":
                if (m.equals("POST")) {
                    JsonObject b = body(ex);
                    sandbox.addAdmin(required(b, "email"), required(b, "password"), required(b, "instanceId"));
                    return ok();
                }
                break;
            case "/users":
                if (m.equals("POST")) {
                    JsonObject b = body(ex);
                    String token = sandbox.addUser(required(b, "instanceId"), SandboxJson.string(b, "deviceToken"));
                    return json(200, new JsonObject().put("deviceToken", token));
                }
                if (m.equals("GET")) {
                    String instanceId = ex.param("instanceId");
                    if (instanceId == null) {
                        return error(400, "instanceId query parameter is required");
                    }
                    return json(200, new JsonObject().put("deviceTokens",
                            new JsonArray(new ArrayList<>(sandbox.deviceTokens(instanceId)))));
                }
                break;
            case "/fail-next":
                if (m.equals("POST")) {
                    JsonObject b = body(ex);
                    Object status = SandboxJson.get(b, "status");
                    Object times = SandboxJson.get(b, "times");
                    if (Boolean.TRUE.equals(SandboxJson.get(b, "close"))) { // {"key":…,"close":true}: no answer
                        sandbox.closeNext(required(b, "key"), times instanceof Number n ? n.intValue() : 1);
                        return ok();
                    }
                    sandbox.failNext(required(b, "key"), status instanceof Number n ? n.intValue() : 500,
                            times instanceof Number n ? n.intValue() : 1);
                    return ok();
                }
                break;
            case "/user-token":
                if (m.equals("POST")) {
                    String token = sandbox.issueUserToken(required(body(ex), "deviceToken"));
                    return json(200, new JsonObject().put("token", token));
                }
                break;
            case "/requests":
                if (m.equals("GET")) {
                    String key = ex.param("key");
                    if (key == null) {
                        return error(400, "key query parameter is required");
                    }
                    JsonArray list = new JsonArray();
                    for (RecordedRequest r : sandbox.requests(key)) {
                        JsonObject headers = new JsonObject();
                        r.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
                        list.add(new JsonObject().put("method", r.method()).put("path", r.path())
                                .put("query", r.query()).put("headers", headers).put("body", r.body())
                                .put("identity", r.identity()));
                    }
                    return json(200, new JsonObject().put("requests", list));
                }
                break;
            default:
                return error(404, "no control endpoint " + ex.path());
        }
        return error(405, "method not allowed");
    }

    Reply idp(Exchange ex) {
        // keep the IdP name as sent (it is part of the issuer), match the rest case-insensitively
        String raw = ex.path().substring("/idp/".length());
        int slash = raw.indexOf('/');
        if (slash <= 0) {
            return error(404, "no IdP endpoint " + ex.path());
        }
        String name = raw.substring(0, slash);
        String rest = DamoovSandbox.normalize(raw.substring(slash));
        DemoIdentityProvider idp = sandbox.idp(name);
        if (rest.equals("/jwks") && ex.method().equals("GET")) {
            return Reply.json(200, idp.jwksForHttp());
        }
        if (rest.equals("/.well-known/openid-configuration") && ex.method().equals("GET")) {
            return json(200, new JsonObject().put("issuer", idp.issuer()).put("jwks_uri", idp.jwksUrl())
                    .put("token_endpoint", idp.issuer() + "/token")
                    .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256")));
        }
        if (rest.equals("/token") && ex.method().equals("POST")) {
            JsonObject b = ex.json() == null ? new JsonObject() : ex.json();
            String sub = required(b, "sub");
            Object ttl = SandboxJson.get(b, "ttlSeconds");
            Duration lifetime = ttl == null ? Duration.ofHours(1) : SandboxSettings.duration("ttlSeconds", ttl);
            Map<String, Object> claims = new LinkedHashMap<>();
            for (String field : b.fieldNames()) {
                if (!field.equalsIgnoreCase("ttlSeconds")) {
                    Object v = b.getValue(field);
                    claims.put(field, v instanceof JsonArray a ? a.getList()
                            : v instanceof JsonObject o ? o.getMap() : v);
                }
            }
            claims.put("sub", sub);
            Object groups = claims.get("groups");
            claims.put("groups", groups instanceof List<?> ? groups : List.of());
            claims.putIfAbsent("aud", DemoIdentityProvider.AUDIENCE);
            String token = idp.mint(claims, lifetime);
            return json(200, new JsonObject().put("access_token", token).put("token_type", "Bearer")
                    .put("expires_in", lifetime.toSeconds()));
        }
        return error(404, "no IdP endpoint " + ex.path());
    }

    private static JsonObject body(Exchange ex) {
        if (ex.jsonError() != null) {
            throw new IllegalArgumentException(ex.jsonError());
        }
        return ex.json() == null ? new JsonObject() : ex.json();
    }

    private static String required(JsonObject json, String key) {
        String v = SandboxJson.string(json, key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        return v;
    }

    private static Reply ok() {
        return json(200, new JsonObject().put("ok", true));
    }

    private static Reply json(int status, JsonObject body) {
        return Reply.json(status, body.encode());
    }

    private static Reply error(int status, String message) {
        return json(status, new JsonObject().put("error", message));
    }
}
