package io.damoov.gateway.pipeline;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.core.RequestIds;
import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.routing.CredentialKind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * User identifiers in the query and JSON body ({@link Identifiers}): forced to the caller's own DeviceToken on user
 * and device routes, so no user reads another's data; on admin routes each must be a DeviceToken of the caller's
 * tenant, else 403. A body must be JSON with one {@code Content-Type} ({@link JsonBodies}: 415, 400) and goes on as
 * re-encoded after the check. Client headers pass by allow-list ({@link Headers}, applied when the request is
 * sent); the gateway's request id does. On user and device routes Damoov is asked for an unencoded answer, so
 * {@link Respond} can pseudonymise its DeviceTokens.
 */
@Singleton
class Hygiene implements Step {

    private final Enrollments enrollments;

    Hygiene(Enrollments enrollments) {
        this.enrollments = enrollments;
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        ex.upstreamHeaders().set(RequestIds.HEADER, ex.requestId());
        Object json;
        try {
            json = JsonBodies.parseRequest(ex.clientHeaders(), ex.body());
        } catch (GatewayException e) {
            return ex.deny(e);
        }
        if (ex.route().credential() == CredentialKind.ADMIN) {
            List<String> ids = new ArrayList<>(Identifiers.inQuery(ex.query()));
            ids.addAll(Identifiers.inJson(json));
            ex.forced(ex.query(), json == null ? ex.body() : JsonBodies.encode(json));
            return checkTenantOwns(ex, ids, 0);
        }
        ex.upstreamHeaders().set("Accept-Encoding", "identity");
        String query = Identifiers.forceQuery(ex.query(), ex.deviceToken());
        Buffer body = ex.body();
        if (json != null) {
            Identifiers.forceJson(json, ex.deviceToken());
            body = JsonBodies.encode(json);
        }
        ex.forced(query, body);
        return Future.succeededFuture();
    }

    private Future<Void> checkTenantOwns(Exchange ex, List<String> ids, int i) {
        if (i >= ids.size()) {
            return Future.succeededFuture();
        }
        return enrollments.belongsToTenant(ex.tenantId(), ids.get(i)).compose(owned -> owned
                ? checkTenantOwns(ex, ids, i + 1)
                : ex.deny(new GatewayException(ProblemType.FOREIGN_IDENTIFIER, "foreign-identifier",
                        "A user identifier in the request does not belong to the caller's tenant")));
    }
}
