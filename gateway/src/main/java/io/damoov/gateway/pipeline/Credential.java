package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.routing.CredentialKind;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.token.DamoovToken;
import io.damoov.gateway.token.TokenService;
import io.vertx.core.Future;

/**
 * The Damoov credential the route asked for, never the caller's own: the user's or the tenant admin's Damoov JWT
 * ({@link TokenService}: cached, refreshed ahead of expiry, single flight per identity) as
 * {@code Authorization: Bearer}, or the caller's {@code DeviceToken} with the tenant's {@code InstanceId} and
 * {@code InstanceKey}.
 */
@Singleton
class Credential implements Step {

    private final TokenService tokens;

    Credential(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        if (ex.route().credential() == CredentialKind.DEVICE) {
            ex.upstreamHeaders().set("DeviceToken", ex.deviceToken());
            ex.upstreamHeaders().set("InstanceId", ex.caller().tenant().instanceId());
            ex.upstreamHeaders().set("InstanceKey", ex.caller().tenant().instanceKey());
            ex.credential(null, Fingerprint.of(ex.deviceToken()));
            return Future.succeededFuture();
        }
        return tokens.token(keyOf(ex), ex.auditContext()).map(token -> {
            use(ex, token);
            return null;
        });
    }

    /** The identity whose Damoov JWT the exchange uses: the tenant's admin, or the caller. */
    static TokenKey keyOf(Exchange ex) {
        return ex.route().credential() == CredentialKind.ADMIN ? TokenKey.admin(ex.tenantId())
                : TokenKey.user(ex.tenantId(), ex.deviceToken());
    }

    /** Puts {@code token} on the upstream request (again after a renewal). */
    static void use(Exchange ex, DamoovToken token) {
        ex.upstreamHeaders().set("Authorization", token.authorization());
        ex.credential(token, token.fingerprint());
    }
}
