package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.tenant.ClientAuthException;
import io.damoov.gateway.tenant.ClientAuthenticator;
import io.vertx.core.Future;

/**
 * The caller from the client JWT ({@link ClientAuthenticator}): the tenant whose issuer signed it, verified against
 * that tenant's keys. A refused token is a denial, audited with what could be read safely (the tenant when its
 * issuer was recognised), never the token.
 */
@Singleton
class Authenticate implements Step {

    private final ClientAuthenticator auth;

    Authenticate(ClientAuthenticator auth) {
        this.auth = auth;
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        return auth.authenticate(ex.request().getHeader("Authorization")).transform(ar -> {
            if (ar.succeeded()) {
                ex.authenticated(ar.result());
                return Future.succeededFuture();
            }
            if (ar.cause() instanceof ClientAuthException refused) {
                ex.tenantHint(refused.tenantId());
                return ex.deny(refused);
            }
            return Future.failedFuture(ar.cause());
        });
    }
}
